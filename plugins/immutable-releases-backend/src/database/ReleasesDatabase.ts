import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  RecordedReleaseEvent,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { Knex } from 'knex';
import { toAttestationRow } from './attestationRows';
import { chunks } from './chunks';
import { DatabaseDeliveryHistoryStore } from './DatabaseDeliveryHistoryStore';
import { DatabaseDeploymentStore } from './DatabaseDeploymentStore';
import {
  chainEvents,
  DatabaseEventStore,
  lockChainHeads,
  toEventRow,
  HeadRow,
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
import { WriteBatcher } from './WriteBatcher';
import { prepareMarkedStatements } from './postgresStatements';
import { tuneSqliteConnections } from './sqliteConnections';

const migrationsDir = resolvePackagePath(
  'backstage-plugin-immutable-releases-backend',
  'migrations',
);

/** Rows per statement on SQLite: well under its bound-parameter limit. */
const ROWS_PER_INSERT = 500;

/** A release to register, with what is written with it. */
interface Registration {
  release: NewRelease;
  checks: NewCheck[];
  attestations: NewAttestation[];
  events: ReleaseEvent[];
}

export interface DatabaseOptions {
  /**
   * Whether the frequent reads are prepared once per connection on
   * PostgreSQL (default true); false behind a pooler that cannot keep
   * prepared statements.
   */
  preparedStatements?: boolean;
}

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

  static async create(
    database: DatabaseService,
    options: DatabaseOptions = {},
  ): Promise<ReleasesDatabase> {
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new ReleasesDatabase(client, options);
  }

  static async fromKnex(
    knex: Knex,
    options: DatabaseOptions = {},
  ): Promise<ReleasesDatabase> {
    await knex.migrate.latest({ directory: migrationsDir });
    return new ReleasesDatabase(knex, options);
  }

  private readonly registrations = new WriteBatcher(
    (batch: Registration[]) => this.registerReleases(batch),
    {
      weight: ({ checks, attestations, events }) =>
        1 + checks.length + attestations.length + events.length,
      // Rows per transaction; with at most a dozen columns a row this keeps
      // one statement well under PostgreSQL's 65,535 bound parameters.
      maxWeight: 1000,
    },
  );

  private readonly preparedStatements: boolean;

  private constructor(readonly knex: Knex, options: DatabaseOptions) {
    this.preparedStatements = options.preparedStatements ?? true;
    tuneSqliteConnections(knex);
    prepareMarkedStatements(knex, this.preparedStatements);
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
   * entity already has that version. Registrations that arrive while others
   * are being written are written together, in one transaction.
   */
  registerRelease(
    release: NewRelease,
    checks: NewCheck[],
    attestations: NewAttestation[],
    events: ReleaseEvent[],
  ): Promise<'inserted' | 'conflict'> {
    return this.registrations.submit({ release, checks, attestations, events });
  }

  private async registerReleases(
    batch: Registration[],
  ): Promise<Array<'inserted' | 'conflict'>> {
    return this.knex.transaction(async tx => {
      // Heads first, as every append takes them: no transaction then holds
      // a version's key while it waits for a head.
      const heads = await lockChainHeads(
        tx,
        batch.flatMap(registration => registration.events),
      );
      const insertedRows: Array<{ id: string }> = await tx('releases')
        .insert(batch.map(registration => toReleaseRow(registration.release)))
        .onConflict(['entity_ref', 'version'])
        .ignore()
        .returning('id');
      const insertedIds = new Set(insertedRows.map(row => row.id));
      const inserted = batch.filter(registration =>
        insertedIds.has(registration.release.id),
      );
      if (inserted.length > 0) {
        const events = chainEvents(
          inserted.flatMap(registration => registration.events),
          heads,
        );
        await writeAttachments(tx, inserted, events, toHeadRows(heads));
      }
      return batch.map(registration =>
        insertedIds.has(registration.release.id) ? 'inserted' : 'conflict',
      );
    });
  }

  /** Runs `work` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T> {
    return this.knex.transaction(tx => {
      prepareMarkedStatements(tx, this.preparedStatements);
      return work(bindStores(tx));
    });
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

/**
 * Writes the checks, attestations and chained events of newly inserted
 * releases, and moves the chain heads. PostgreSQL takes it as one statement,
 * which saves round trips on the hottest write.
 */
async function writeAttachments(
  tx: Knex.Transaction,
  registrations: Registration[],
  events: RecordedReleaseEvent[],
  heads: HeadRow[],
) {
  const checkRows = registrations.flatMap(({ release, checks }) =>
    checks.map(check => toCheckRow(release.id, check)),
  );
  const attestationRows = registrations.flatMap(({ release, attestations }) =>
    attestations.map(attestation => toAttestationRow(release.id, attestation)),
  );
  const eventRows = events.map(toEventRow);
  if (tx.client.dialect === 'postgresql') {
    let statement = tx.with('events', tx('events').insert(eventRows));
    if (checkRows.length > 0) {
      statement = statement.with(
        'checks',
        tx('release_checks').insert(checkRows),
      );
    }
    if (attestationRows.length > 0) {
      statement = statement.with(
        'attestations',
        tx('release_attestations').insert(attestationRows),
      );
    }
    await upsertHeads(statement, heads);
    return;
  }
  for (const [table, rows] of [
    ['release_checks', checkRows],
    ['release_attestations', attestationRows],
    ['events', eventRows],
  ] as const) {
    for (const chunk of chunks<object>(rows, ROWS_PER_INSERT)) {
      await tx(table).insert(chunk);
    }
  }
  for (const chunk of chunks(heads, ROWS_PER_INSERT)) {
    await upsertHeads(tx, chunk);
  }
}
