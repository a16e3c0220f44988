import { Knex } from 'knex';
import { EnvironmentHold } from 'backstage-plugin-immutable-releases-common';
import { EnvironmentKey } from './DeploymentStore';
import { HoldStore } from './HoldStore';
import { prepared } from './postgresStatements';
import { compiledOnce } from './compiledStatements';

/** The columns `toHold` reads: named, as a prepared statement's columns must not change. */
const HOLD_COLUMNS = ['reason', 'set_at', 'set_by', 'blocks_deployments'];

/** The holds of one entity: part of every environments answer. */
const holdsOfEntity = compiledOnce<{ entityRef: string }, HoldRow[]>(
  (db, { entityRef }) =>
    prepared(
      db('environment_holds')
        .select('environment', ...HOLD_COLUMNS)
        .where({ entity_ref: entityRef }),
    ),
);

/** Deletes an environment's hold (only one that does not block deployments, with `unlessBlocking`). */
const holdDeletion = compiledOnce<
  { entityRef: string; environment: string; unlessBlocking: boolean },
  number
>((db, { entityRef, environment, unlessBlocking }) => {
  const query = db('environment_holds').where({
    entity_ref: entityRef,
    environment,
  });
  if (unlessBlocking) {
    query.where('blocks_deployments', false);
  }
  return prepared(query.delete());
});

export class DatabaseHoldStore implements HoldStore {
  constructor(private readonly db: Knex) {}

  async setHold(key: EnvironmentKey, hold: EnvironmentHold): Promise<void> {
    await this.db('environment_holds')
      .insert({
        entity_ref: key.entityRef,
        environment: key.environment,
        reason: hold.reason,
        set_at: hold.setAt,
        set_by: hold.setBy,
        blocks_deployments: hold.blocksDeployments ?? false,
      })
      .onConflict(['entity_ref', 'environment'])
      .merge(['reason', 'set_at', 'set_by', 'blocks_deployments']);
  }

  async getHolds(entityRef: string): Promise<Map<string, EnvironmentHold>> {
    const rows = await holdsOfEntity(this.db, { entityRef });
    return new Map(rows.map(row => [row.environment, toHold(row)]));
  }

  async getHoldsOfEntities(
    entityRefs: string[],
  ): Promise<Map<string, Map<string, EnvironmentHold>>> {
    const holds = new Map<string, Map<string, EnvironmentHold>>();
    if (entityRefs.length === 0) {
      return holds;
    }
    const rows = await this.db('environment_holds').whereIn(
      'entity_ref',
      entityRefs,
    );
    for (const row of rows) {
      if (!holds.has(row.entity_ref)) {
        holds.set(row.entity_ref, new Map());
      }
      holds.get(row.entity_ref)!.set(row.environment, toHold(row));
    }
    return holds;
  }

  async listBlockingHolds(): Promise<Array<EnvironmentKey & EnvironmentHold>> {
    const rows = await this.db('environment_holds').where({
      blocks_deployments: true,
    });
    return rows.map(row => ({
      entityRef: row.entity_ref,
      environment: row.environment,
      ...toHold(row),
    }));
  }

  async releaseHold(
    key: EnvironmentKey,
    { unlessBlocking = false }: { unlessBlocking?: boolean } = {},
  ): Promise<boolean> {
    const deleted = await holdDeletion(this.db, {
      entityRef: key.entityRef,
      environment: key.environment,
      unlessBlocking,
    });
    return deleted > 0;
  }
}

interface HoldRow {
  environment: string;
  reason: string;
  set_at: string;
  set_by: string;
  blocks_deployments: boolean | number;
}

function toHold(row: Omit<HoldRow, 'environment'>): EnvironmentHold {
  return {
    reason: row.reason,
    setAt: row.set_at,
    setBy: row.set_by,
    ...(row.blocks_deployments ? { blocksDeployments: true } : {}),
  };
}
