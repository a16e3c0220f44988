import { InputError, NotFoundError } from '@backstage/errors';
import {
  DriftStatus,
  EnvironmentDrift,
  isValidDigest,
  ObservationDetails,
  ObservationInput,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import {
  ObservationFailure,
  ObservationSink,
} from 'backstage-plugin-immutable-releases-node';
import { EnvironmentKey } from '../database/DeploymentStore';
import {
  DriftState,
  entityDigestId,
  environmentKeyId,
  StoredObservation,
} from '../database/ObservationStore';
import { ReleasesDatabase, Stores } from '../database/ReleasesDatabase';
import { AuditTrail, NewEvent } from '../audit/AuditTrail';
import { DriftEvaluator } from './DriftEvaluator';
import {
  EntityPipelines,
  normalizeEntityRef,
} from '../pipelines/EntityPipelines';
import { parseObservationDetails } from './observationDetails';
import { ObservationTargets } from './ObservationTargets';

/** How far in the future an `observedAt` may be (clock skew), in milliseconds. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Environments re-evaluated per transaction by the sweep. */
const SWEEP_PAGE = 500;

/** A report whose entity refs are normalized and whose fields are checked. */
export interface ObservationBatch {
  items: Array<{
    entityRef: string;
    environment: string;
    digest: string;
    source?: string;
    observedAt?: string;
    details?: ObservationDetails;
  }>;
  /** The distinct entities of the batch: each must be authorized. */
  entityRefs: string[];
}

export interface ObservationServiceOptions {
  db: ReleasesDatabase;
  entities: EntityPipelines;
  targets: ObservationTargets;
  evaluator: DriftEvaluator;
  audit: AuditTrail;
  clock: () => Date;
  requireCatalogEntity: boolean;
}

/**
 * Stores what runs where and keeps drift status: reports from the API and
 * from observation sources, failures to observe, and the re-evaluation that
 * records `drift.changed` events when an environment's status changes.
 */
export class ObservationService {
  static create(options: ObservationServiceOptions): ObservationService {
    return new ObservationService(options);
  }

  private constructor(private readonly options: ObservationServiceOptions) {}

  /** Checks the fields of each item, naming the item and field of the first bad one. */
  parse(observations: ObservationInput[]): ObservationBatch {
    if (observations.length === 0) {
      throw new InputError('observations must hold at least one observation');
    }
    const now = this.options.clock().getTime();
    const items = observations.map((observation, index) => {
      const field = (name: string) => `observations/${index}/${name}`;
      const entityRef = normalizeEntityRef(
        observation.entityRef,
        field('entityRef'),
      );
      if (!observation.environment?.trim()) {
        throw new InputError(`${field('environment')} must not be empty`);
      }
      if (!isValidDigest(observation.digest)) {
        throw new InputError(
          `${field(
            'digest',
          )} must be sha256:<64 hex> or sha512:<128 hex>, lower-case, got '${
            observation.digest
          }'`,
        );
      }
      let observedAt: string | undefined;
      if (observation.observedAt !== undefined) {
        const time = Date.parse(observation.observedAt);
        if (Number.isNaN(time)) {
          throw new InputError(
            `${field('observedAt')} must be an ISO 8601 time, got '${
              observation.observedAt
            }'`,
          );
        }
        if (time - now > MAX_CLOCK_SKEW_MS) {
          throw new InputError(
            `${field('observedAt')} ${observation.observedAt} is in the future`,
          );
        }
        observedAt = new Date(time).toISOString();
      }
      return {
        entityRef,
        environment: observation.environment,
        digest: observation.digest,
        source: observation.source,
        observedAt,
        details: parseObservationDetails(observation.details, {
          field: field('details'),
          digest: observation.digest,
        }),
      };
    });
    return {
      items,
      entityRefs: [...new Set(items.map(item => item.entityRef))],
    };
  }

  /**
   * Stores a checked batch in one transaction, with the drift changes it
   * causes; refuses the whole batch, naming the item, when an entity is not
   * in the catalog or an environment is not in the entity's pipeline.
   * Returns how many observations were stored.
   */
  async ingest(
    batch: ObservationBatch,
    actor: string,
    defaultSource = actor,
  ): Promise<number> {
    const { db, audit, entities, targets, clock } = this.options;
    const known = await targets.lookUp(batch.entityRefs);
    batch.items.forEach((item, index) => {
      const info = known.get(item.entityRef)!;
      if (!info.entity && this.options.requireCatalogEntity) {
        throw new NotFoundError(
          `observations/${index}/entityRef: entity ${item.entityRef} is not in the catalog`,
        );
      }
      const pipeline = entities.getPipeline(info.pipelineName, item.entityRef);
      if (!pipeline.environments.some(e => e.name === item.environment)) {
        throw new InputError(
          `observations/${index}/environment: '${
            item.environment
          }' is not an environment of pipeline '${pipeline.name}' of ${
            item.entityRef
          } (${pipeline.environments.map(e => e.name).join(', ')})`,
        );
      }
    });

    const recordedAt = clock().toISOString();
    const observations: StoredObservation[] = batch.items.map(item => ({
      entityRef: item.entityRef,
      environment: item.environment,
      digest: item.digest,
      source: item.source ?? defaultSource,
      observedAt: item.observedAt ?? recordedAt,
      recordedAt,
      recordedBy: actor,
      details: item.details ?? null,
    }));
    const latest = new Map<string, StoredObservation>();
    for (const observation of observations) {
      const id = environmentKeyId(observation);
      const previous = latest.get(id);
      if (!previous || previous.observedAt <= observation.observedAt) {
        latest.set(id, observation);
      }
    }

    const events = await db.transaction(async stores => {
      await stores.observations.appendObservations(observations, [
        ...latest.values(),
      ]);
      return this.recordChanges(stores, [...latest.values()], actor);
    });
    await audit.publish(events);
    return observations.length;
  }

  /** Keeps a failure to observe; it does not change the drift status. */
  async recordError(failure: ObservationFailure, source: string) {
    const entityRef = normalizeEntityRef(failure.entityRef);
    await this.options.db.observations.recordError(
      { entityRef, environment: failure.environment },
      {
        message: failure.message.slice(0, 2000),
        at: this.options.clock().toISOString(),
        source,
      },
    );
  }

  /** The sink an observation source reports to; its id is the observations' source. */
  sinkFor(sourceId: string): ObservationSink {
    const actor = `observation-source:${sourceId}`;
    return {
      report: async observations => {
        if (observations.length === 0) {
          return;
        }
        await this.ingest(this.parse(observations), actor, sourceId);
      },
      reportError: failure => this.recordError(failure, sourceId),
    };
  }

  /**
   * Re-evaluates environments whose inputs changed without a new observation
   * (a deployment finished, an observation went stale) and records changes.
   */
  async refresh(keys: EnvironmentKey[], actor: string): Promise<void> {
    const { db, audit } = this.options;
    const events = await db.transaction(stores =>
      this.recordChanges(stores, keys, actor),
    );
    await audit.publish(events);
  }

  /** Re-evaluates every environment whose recorded status is not `unknown`. */
  async sweep(actor: string): Promise<void> {
    let after: EnvironmentKey | undefined;
    for (;;) {
      const keys = await this.options.db.observations.listKnownDriftStates(
        SWEEP_PAGE,
        after,
      );
      if (keys.length === 0) {
        return;
      }
      await this.refresh(keys, actor);
      if (keys.length < SWEEP_PAGE) {
        return;
      }
      after = keys[keys.length - 1];
    }
  }

  /**
   * Reads what is known of the environments' entities (one statement for
   * up to 500 entities) and answers a function that describes the `drift` of one, given the
   * digest of its current release.
   */
  async loadDrift(
    keys: EnvironmentKey[],
  ): Promise<
    (key: EnvironmentKey, currentDigest: string | null) => EnvironmentDrift
  > {
    const { db, evaluator } = this.options;
    const { states, observedReleases: observed } =
      await db.observations.getDriftStatesOfEntities(
        keys.map(key => key.entityRef),
      );
    return (key, currentDigest) => {
      const state = states.get(environmentKeyId(key));
      const observedRelease = state?.observedDigest
        ? observed.get(entityDigestId(state.entityRef, state.observedDigest))
        : undefined;
      return evaluator.describe({ currentDigest, state, observedRelease });
    };
  }

  /**
   * Decides the status of each environment and, where it differs from the
   * recorded one, records the change with a conditional update (so of two
   * concurrent writers only one records it) and a `drift.changed` event.
   */
  private async recordChanges(
    stores: Stores,
    keys: EnvironmentKey[],
    actor: string,
  ): Promise<ReleaseEvent[]> {
    const { evaluator, audit, clock } = this.options;
    const states = await stores.observations.getDriftStates(keys);
    const current = await stores.observations.currentReleases(keys);
    const observed = await stores.observations.releasesWithDigests(
      [...states.values()]
        .filter(state => state.observedDigest)
        .map(state => ({
          entityRef: state.entityRef,
          digest: state.observedDigest!,
        })),
    );
    const changes: Array<{
      state: DriftState;
      to: DriftStatus;
      event: NewEvent;
    }> = [];
    for (const state of states.values()) {
      const currentRelease = current.get(environmentKeyId(state));
      const observedRelease = state.observedDigest
        ? observed.get(entityDigestId(state.entityRef, state.observedDigest))
        : undefined;
      const status: DriftStatus = evaluator.status({
        currentDigest: currentRelease?.digest ?? null,
        state,
        observedRelease,
      });
      if (status === state.status) {
        continue;
      }
      changes.push({
        state,
        to: status,
        event: {
          type: 'drift.changed',
          entityRef: state.entityRef,
          environment: state.environment,
          ...(observedRelease ? { releaseId: observedRelease.id } : {}),
          actor,
          details: {
            from: state.status,
            to: status,
            observedDigest: state.observedDigest,
            observedAt: state.observedAt,
            observedSource: state.observedSource,
            observedVersion: observedRelease?.version ?? null,
            currentReleaseId: currentRelease?.releaseId ?? null,
            currentDigest: currentRelease?.digest ?? null,
          },
        },
      });
    }
    if (changes.length === 0) {
      return [];
    }
    const changed = new Set(
      (
        await stores.observations.changeDriftStatuses(
          changes.map(({ state, to }) => ({
            entityRef: state.entityRef,
            environment: state.environment,
            from: state.status,
            to,
          })),
          clock().toISOString(),
        )
      ).map(environmentKeyId),
    );
    // Of two writers that saw the same status, only the one whose update
    // changed it records the change.
    const events = changes
      .filter(({ state }) => changed.has(environmentKeyId(state)))
      .map(({ event }) => event);
    return events.length > 0 ? audit.record(stores, events) : [];
  }
}
