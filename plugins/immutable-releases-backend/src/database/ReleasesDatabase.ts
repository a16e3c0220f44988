import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { Knex } from 'knex';
import { toAttestationRow } from './attestationRows';
import { isUniqueViolation } from './errors';
import { DatabaseDeliveryHistoryStore } from './DatabaseDeliveryHistoryStore';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import {
  chainEvents,
  DatabaseEventStore,
  lockChainHeads,
  toEventRow,
  toHeadRows,
  upsertHeads,
} from './DatabaseEventStore';
import { DatabaseHoldStore } from './DatabaseHoldStore';
import { DatabaseObservationStore } from './DatabaseObservationStore';
import { DatabaseReleaseStore } from './DatabaseReleaseStore';
import { toCheckRow, toReleaseRow } from './releaseRows';
import { DatabaseScheduledPromotionStore } from './DatabaseScheduledPromotionStore';
import { DeliveryHistoryStore } from './DeliveryHistoryStore';
import { DeploymentStore } from './DeploymentStore';
import { EventStore } from './EventStore';
import { HoldStore } from './HoldStore';
import { ObservationStore } from './ObservationStore';
import {
  NewAttestation,
  NewCheck,
  NewRelease,
  ReleaseStore,
} from './ReleaseStore';
import { ScheduledPromotionStore } from './ScheduledPromotionStore';

const migrationsDir = resolvePackagePath(
  'backstage-plugin-immutable-releases-backend',
  'migrations',
);

/** The stores, bound to one connection or to one transaction. */
export interface Stores {
  releases: ReleaseStore;
  deployments: DeploymentStore;
  holds: HoldStore;
  scheduledPromotions: ScheduledPromotionStore;
  events: EventStore;
  observations: ObservationStore;
  deliveryHistory: DeliveryHistoryStore;
}

/** Gives the engine its stores and runs work that must be all-or-nothing in one transaction. */
export class ReleasesDatabase implements Stores {
  readonly releases: ReleaseStore;
  readonly deployments: DeploymentStore;
  readonly holds: HoldStore;
  readonly scheduledPromotions: ScheduledPromotionStore;
  readonly events: EventStore;
  readonly observations: ObservationStore;
  readonly deliveryHistory: DeliveryHistoryStore;

  static async create(database: DatabaseService): Promise<ReleasesDatabase> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new ReleasesDatabase(client);
  }

  static async fromKnex(knex: Knex): Promise<ReleasesDatabase> {
    await knex.migrate.latest({ directory: migrationsDir });
    return new ReleasesDatabase(knex);
  }

  private constructor(readonly knex: Knex) {
    this.releases = new DatabaseReleaseStore(knex);
    this.deployments = new DatabaseDeploymentStore(knex);
    this.holds = new DatabaseHoldStore(knex);
    this.scheduledPromotions = new DatabaseScheduledPromotionStore(knex);
    this.events = new DatabaseEventStore(knex);
    this.observations = new DatabaseObservationStore(knex);
    this.deliveryHistory = new DatabaseDeliveryHistoryStore(knex);
  }

  /**
   * Stores a new release with its checks, attestations (distinct bundles)
   * and audit events, all or nothing; `conflict` (nothing written) when the
   * entity already has that version.
   */
  async registerRelease(
    release: NewRelease,
    checks: NewCheck[],
    attestations: NewAttestation[],
    events: ReleaseEvent[],
  ): Promise<'inserted' | 'conflict'> {
    if (this.knex.client.dialect !== 'postgresql') {
      return this.transaction(async stores => {
        if ((await stores.releases.insertRelease(release)) === 'conflict') {
          return 'conflict';
        }
        await stores.releases.addChecks(release.id, checks);
        await stores.releases.addAttestations(release.id, attestations);
        await stores.events.append(events);
        return 'inserted';
      });
    }
    // PostgreSQL: once the chain heads are locked, one statement writes the
    // release, its checks and attestations, its events and the moved heads,
    // which saves round trips on the hottest write. A taken version fails
    // the whole statement on the unique index.
    try {
      await this.knex.transaction(async tx => {
        const heads = await lockChainHeads(tx, events);
        const recorded = chainEvents(events, heads);
        let statement = tx.with(
          'release',
          tx('releases').insert(toReleaseRow(release)),
        );
        if (checks.length > 0) {
          statement = statement.with(
            'checks',
            tx('release_checks').insert(
              checks.map(check => toCheckRow(release.id, check)),
            ),
          );
        }
        if (attestations.length > 0) {
          statement = statement.with(
            'attestations',
            tx('release_attestations').insert(
              attestations.map(attestation =>
                toAttestationRow(release.id, attestation),
              ),
            ),
          );
        }
        statement = statement.with(
          'events',
          tx('events').insert(recorded.map(toEventRow)),
        );
        await upsertHeads(statement, toHeadRows(heads));
      });
      return 'inserted';
    } catch (error) {
      if (isUniqueViolation(error)) {
        return 'conflict';
      }
      throw error;
    }
  }

  /** Runs `work` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T> {
    return this.knex.transaction(tx => work(bindStores(tx)));
  }
}

function bindStores(db: Knex): Stores {
  return {
    releases: new DatabaseReleaseStore(db),
    deployments: new DatabaseDeploymentStore(db),
    holds: new DatabaseHoldStore(db),
    scheduledPromotions: new DatabaseScheduledPromotionStore(db),
    events: new DatabaseEventStore(db),
    observations: new DatabaseObservationStore(db),
    deliveryHistory: new DatabaseDeliveryHistoryStore(db),
  };
}
