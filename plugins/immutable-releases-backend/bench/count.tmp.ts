import knexFactory from 'knex';
import { testEntity } from '../src/__testUtils__/testEngine';
import { createImmutableReleasesEngine } from '../src/service/engine';
import { builtinExecutorFactories } from '../src/executors/builtinExecutors';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { mockServices } from '@backstage/backend-test-utils';
import { ReleasesDatabase } from '../src/database/ReleasesDatabase';
async function main() {
  const knex = knexFactory({ client: 'better-sqlite3', connection: { filename: ':memory:' }, useNullAsDefault: true });
  const queries: string[] = [];
  let on = false;
  knex.on('query', q => { if (on) queries.push(q.sql); });
  const config = { immutableReleases: { executors: { local: { type: 'command', command: ['true'] } }, pipelines: { default: { environments: [
    { name: 'development', executor: 'local' }, { name: 'staging', from: 'development', executor: 'local' }, { name: 'production', from: 'staging', executor: 'local' } ] } } } };
  const db = await ReleasesDatabase.fromKnex(knex);
  const logger: any = { info() {}, warn() {}, error() {}, debug() {}, child() { return logger; } };
  const engine = createImmutableReleasesEngine({ config: new ConfigReader(config) as any, logger, db,
    catalog: catalogServiceMock({ entities: [testEntity('checkout')] }), auth: mockServices.auth(),
    auditor: { createEvent: async () => ({ success: async () => {}, fail: async () => {} }) } as any,
    executorFactories: new Map(builtinExecutorFactories(process.cwd()).map(f => [f.type, f])) });
  const body = (v: string) => ({ entityRef: 'component:default/checkout', version: v, artifact: { type: 'oci-image' as const, uri: 'x', digest: `sha256:${'a'.repeat(64)}` } });
  await engine.registry.register(body('0'), 'ci');
  on = true;
  await engine.registry.register(body('1'), 'ci');
  on = false;
  console.log('REGISTER', queries.length); queries.forEach(q => console.log('  ', q.slice(0, 160)));
  queries.length = 0; on = true;
  await engine.promotions.environments('component:default/checkout');
  on = false;
  console.log('ENVIRONMENTS', queries.length); queries.forEach(q => console.log('  ', q.slice(0, 200)));
  queries.length = 0; on = true;
  await engine.registry.listReleases('component:default/checkout', { limit: 50 });
  on = false;
  console.log('HISTORY', queries.length); queries.forEach(q => console.log('  ', q.slice(0, 200)));
  await engine.runner.stop();
  await knex.destroy();
}
main();
