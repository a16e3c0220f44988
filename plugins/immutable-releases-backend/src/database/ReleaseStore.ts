import {
  Page,
  Release,
  ReleaseAttestation,
  ReleaseCheck,
  ReleaseRevocation,
} from 'backstage-plugin-immutable-releases-common';
import { PageRequest } from './pagination';
import { JsonText } from './jsonColumns';

/** A release as stored: its identity, without the attachments. */
export type NewRelease = Omit<Release, 'checks' | 'revocation' | 'deployments'>;

/** An attestation as recorded: what the API shows, with its bundle as received. */
export interface NewAttestation extends ReleaseAttestation {
  /** The Sigstore bundle, JSON as received. */
  bundle: unknown;
  /** SHA-256 of the bundle's canonical JSON: a bundle is recorded once per release. */
  bundleSha256: string;
  mediaType: string;
}

/** A recorded attestation with its bundle, for verification. */
export interface StoredAttestation extends ReleaseAttestation {
  bundle: unknown;
}

/** A check result as recorded: the API's check, declared once in -common. */
export type NewCheck = ReleaseCheck;

/**
 * The order checks are shown in: by name, compared by code unit, the same
 * whatever the database's collation.
 */
export function byCheckName(a: { name: string }, b: { name: string }): number {
  return compareCodeUnits(a.name, b.name);
}

/** Compares strings by UTF-16 code unit, as no database collation does. */
export function compareCodeUnits(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/** A check record as the API shows it. */
export function toReleaseCheck(check: NewCheck): ReleaseCheck {
  return {
    name: check.name,
    status: check.status,
    ...(check.url ? { url: check.url } : {}),
    ...(check.summary ? { summary: check.summary } : {}),
    recordedAt: check.recordedAt,
    recordedBy: check.recordedBy,
  };
}

/** An attestation as the API shows it: without its bundle. */
export function toReleaseAttestation(
  attestation: ReleaseAttestation,
): ReleaseAttestation {
  const { signer } = attestation;
  return {
    id: attestation.id,
    predicateType: attestation.predicateType,
    subjectDigests: attestation.subjectDigests,
    ...(signer && Object.keys(signer).length > 0 ? { signer } : {}),
    recordedAt: attestation.recordedAt,
    recordedBy: attestation.recordedBy,
  };
}

/**
 * The append-only registry of releases. There is deliberately no method that
 * changes or removes a release: checks and revocations are attachments.
 */
export interface ReleaseStore {
  /** Inserts a release; `conflict` when the entity already has that version. */
  insertRelease(release: NewRelease): Promise<'inserted' | 'conflict'>;
  /**
   * Inserts many releases with multi-row statements (imports, seeding). All
   * or nothing only inside a transaction; a version the entity already has
   * is an error, not a conflict answer.
   */
  insertReleases(releases: NewRelease[]): Promise<void>;
  /** The release alone, without attachments. */
  getRelease(releaseId: string): Promise<Release | undefined>;
  /** The release alone and its revocation (null when it has none), in one read. */
  getReleaseAndRevocation(
    releaseId: string,
  ): Promise<
    { release: Release; revocation: ReleaseRevocation | null } | undefined
  >;
  /** The release with its latest checks, revocation and latest deployment per environment. */
  getReleaseWithAttachments(releaseId: string): Promise<Release | undefined>;
  getReleases(releaseIds: string[]): Promise<Map<string, Release>>;
  getReleaseByVersion(
    entityRef: string,
    version: string,
  ): Promise<Release | undefined>;
  /**
   * Releases of an entity with their attachments, newest first, as the JSON
   * the API answers (kept as a view per release); only `version`'s when given.
   */
  listReleasesAsJson(
    entityRef: string,
    page: PageRequest & { version?: string },
  ): Promise<Page<JsonText<Release>>>;
  /** Entities that have releases, in ref order, after `after` (exclusive). */
  listEntitiesWithReleases(options: {
    after?: string;
    limit: number;
  }): Promise<string[]>;
  /** Releases of an entity whose artifact has the digest, newest first. */
  findReleasesByDigest(entityRef: string, digest: string): Promise<Release[]>;
  addCheck(releaseId: string, check: NewCheck): Promise<ReleaseCheck>;
  /** Records checks in this order (the last of a name is its latest). */
  addChecks(releaseId: string, checks: NewCheck[]): Promise<void>;
  /** The latest record per check name, per release, ordered by `byCheckName`. */
  latestChecks(releaseIds: string[]): Promise<Map<string, ReleaseCheck[]>>;
  /**
   * Appends attestations, skipping any whose bundle the release already has;
   * answers what the release holds for each, in input order (a skipped one
   * is the earlier record, with its own id).
   */
  addAttestations(
    releaseId: string,
    attestations: NewAttestation[],
  ): Promise<ReleaseAttestation[]>;
  /** The release's attestations with their bundles, oldest first. */
  listAttestations(releaseId: string): Promise<StoredAttestation[]>;
  /** Records the revocation; `already-revoked` when the release has one. */
  revoke(
    releaseId: string,
    revocation: ReleaseRevocation,
  ): Promise<'revoked' | 'already-revoked'>;
  revocations(releaseIds: string[]): Promise<Map<string, ReleaseRevocation>>;
}
