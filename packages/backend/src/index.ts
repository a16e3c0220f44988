import { createBackend } from '@backstage/backend-defaults';
import { demoAuthProviderModule } from './demoAuthProvider';
import { immutableReleasesDemoPolicyModule } from './permissionPolicy';

const backend = createBackend();

backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Demo only, and only when auth.providers.demo allows it (see README).
backend.add(demoAuthProviderModule);
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(immutableReleasesDemoPolicyModule);
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import('backstage-plugin-scaffolder-backend-module-immutable-releases'),
);
backend.add(import('backstage-plugin-immutable-releases-backend'));
// Serves the actions of backend.actions.pluginSources to MCP clients at /api/mcp-actions/v1.
backend.add(import('@backstage/plugin-mcp-actions-backend'));
// Approvers and owners are notified through these; open pages hear of changes through signals.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// Adds the `kubernetes` executor type; idle until an executor or drift entry names a cluster.
backend.add(
  import('backstage-plugin-immutable-releases-backend-module-kubernetes'),
);
// Adds the `argocd` executor type; idle until an executor or drift entry names an Argo CD server.
backend.add(
  import('backstage-plugin-immutable-releases-backend-module-argocd'),
);
// Adds the `github-actions` executor type; idle until an executor of that type is configured.
backend.add(
  import('backstage-plugin-immutable-releases-backend-module-github'),
);

backend.start();
