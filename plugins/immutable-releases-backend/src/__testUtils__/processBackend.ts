/**
 * A real backend in a process of its own, for tests that kill one: the
 * catalog, the permission backend with the allow-all policy, and this plugin,
 * configured by the file named in argv[2]. Run with
 * `node --require @backstage/cli/config/nodeTransform.cjs processBackend.ts FILE`.
 */
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import { immutableReleasesPlugin } from '../plugin';

const backend = createBackend();
backend.add(
  rootConfigServiceFactory({
    argv: [process.argv[0], 'backend', '--config', process.argv[2]],
    watch: false,
  }),
);
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
backend.add(immutableReleasesPlugin);
backend.start().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
