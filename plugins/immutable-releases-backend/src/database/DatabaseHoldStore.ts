import { Knex } from 'knex';
import { EnvironmentHold } from 'backstage-plugin-immutable-releases-common';
import { EnvironmentKey } from './DeploymentStore';
import { HoldStore } from './HoldStore';

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
      })
      .onConflict(['entity_ref', 'environment'])
      .merge(['reason', 'set_at', 'set_by']);
  }

  async getHolds(entityRef: string): Promise<Map<string, EnvironmentHold>> {
    const rows = await this.db('environment_holds').where({
      entity_ref: entityRef,
    });
    return new Map(
      rows.map(row => [
        row.environment,
        { reason: row.reason, setAt: row.set_at, setBy: row.set_by },
      ]),
    );
  }

  async releaseHold(key: EnvironmentKey): Promise<boolean> {
    const deleted = await this.db('environment_holds')
      .where({ entity_ref: key.entityRef, environment: key.environment })
      .delete();
    return deleted > 0;
  }
}
