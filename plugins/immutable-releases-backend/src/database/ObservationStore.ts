import {
  DriftStatus,
  ObservationDetails,
} from 'backstage-plugin-immutable-releases-common';
import { EnvironmentKey } from './DeploymentStore';

/** One report of the digest running in an environment, as stored. */
export interface StoredObservation extends EnvironmentKey {
  digest: string;
  source: string;
  observedAt: string;
  recordedAt: string;
  recordedBy: string;
  details: ObservationDetails | null;
}

/** What is known about one environment's running digest. */
export interface DriftState extends EnvironmentKey {
  observedDigest: string | null;
  observedAt: string | null;
  observedSource: string | null;
  observedDetails: ObservationDetails | null;
  /** The status last recorded in the audit trail. */
  status: DriftStatus;
  statusChangedAt: string | null;
  error: { message: string; at: string; source: string } | null;
}

/** The release an environment should run: that of its latest succeeded deployment. */
export interface CurrentRelease {
  releaseId: string;
  digest: string;
}

/** A release of an entity found by its digest. */
export interface ReleaseWithDigest {
  entityRef: string;
  digest: string;
  id: string;
  version: string;
  revoked: boolean;
}

/**
 * Observations and what they imply. The history of observations is
 * append-only; the per-environment drift state keeps the latest observation,
 * the recorded status and the last failure to observe.
 */
export interface ObservationStore {
  /**
   * Appends the observations to the history and moves each environment's
   * latest observation forward (an observation older than the one stored
   * does not replace it). Keys must be distinct within one call to `latest`.
   */
  appendObservations(
    observations: StoredObservation[],
    latest: StoredObservation[],
  ): Promise<void>;
  /** The history of one environment, newest first. */
  listObservations(
    key: EnvironmentKey,
    limit: number,
  ): Promise<StoredObservation[]>;
  /** Records the last failure to observe an environment. */
  recordError(
    key: EnvironmentKey,
    error: { message: string; at: string; source: string },
  ): Promise<void>;
  getDriftStates(keys: EnvironmentKey[]): Promise<Map<string, DriftState>>;
  /**
   * The drift states of every environment of the entities, with the newest
   * release of the entity that has each observed digest, in one statement.
   */
  getDriftStatesOfEntities(entityRefs: string[]): Promise<{
    states: Map<string, DriftState>;
    observedReleases: Map<string, ReleaseWithDigest>;
  }>;
  /**
   * Records each environment's new status where the stored one is still
   * `from`, and answers the environments changed: one that another writer
   * changed first is left alone and absent from the answer.
   */
  changeDriftStatuses(
    changes: Array<EnvironmentKey & { from: DriftStatus; to: DriftStatus }>,
    at: string,
  ): Promise<EnvironmentKey[]>;
  /** Environments whose recorded status is not `unknown`, in key order after `after`. */
  listKnownDriftStates(
    limit: number,
    after?: EnvironmentKey,
  ): Promise<EnvironmentKey[]>;
  /** The current release of each environment that has one. */
  currentReleases(keys: EnvironmentKey[]): Promise<Map<string, CurrentRelease>>;
  /** The newest release of each entity with each digest, where there is one. */
  releasesWithDigests(
    pairs: Array<{ entityRef: string; digest: string }>,
  ): Promise<Map<string, ReleaseWithDigest>>;
  /**
   * The distinct artifact URIs of each entity's releases, newest release
   * first; an entity without releases is absent.
   */
  artifactUris(entityRefs: string[]): Promise<Map<string, string[]>>;
  /** Every entity that has at least one release. */
  listEntitiesWithReleases(): Promise<string[]>;
}

/** The map key of an environment of an entity. */
export function environmentKeyId(key: EnvironmentKey): string {
  return `${key.entityRef}\u0000${key.environment}`;
}

/** The map key of a digest of an entity. */
export function entityDigestId(entityRef: string, digest: string): string {
  return `${entityRef}\u0000${digest}`;
}
