import { Knex } from 'knex';
import { DeploymentKind } from 'backstage-plugin-immutable-releases-common';
import {
  DeliveryHistoryStore,
  ExecutedDeployment,
} from './DeliveryHistoryStore';
import { EnvironmentKey } from './DeploymentStore';

export class DatabaseDeliveryHistoryStore implements DeliveryHistoryStore {
  constructor(private readonly db: Knex) {}

  async listExecutedSince(
    key: EnvironmentKey,
    since: string,
  ): Promise<ExecutedDeployment[]> {
    const rows: Array<{
      kind: string;
      status: string;
      created_at: string;
      updated_at: string;
      release_created_at: string;
      source: string;
    }> = await this.db('deployments as d')
      .join('releases as r', 'r.id', 'd.release_id')
      .select(
        'd.kind',
        'd.status',
        'd.created_at',
        'd.updated_at',
        'r.created_at as release_created_at',
        'r.source',
      )
      .where({
        'd.entity_ref': key.entityRef,
        'd.environment': key.environment,
      })
      .whereIn('d.status', ['succeeded', 'failed'])
      .where('d.updated_at', '>=', since)
      .orderBy([
        { column: 'd.updated_at', order: 'asc' },
        { column: 'd.seq', order: 'asc' },
      ]);
    return rows.map(row => ({
      kind: row.kind as DeploymentKind,
      status: row.status as ExecutedDeployment['status'],
      requestedAt: row.created_at,
      finishedAt: row.updated_at,
      releaseCreatedAt: row.release_created_at,
      releaseSource: JSON.parse(row.source),
    }));
  }
}
