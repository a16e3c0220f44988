import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  eventually,
  releasesDatabaseServiceFactory,
} from '@internal/test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import scaffolderEntityModelModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import immutableReleasesPlugin from 'backstage-plugin-immutable-releases-backend';
import scaffolderImmutableReleasesModule from 'backstage-plugin-scaffolder-backend-module-immutable-releases';
import { demoAuthProviderModule } from '../demoAuthProvider';
import { immutableReleasesDemoPolicyModule } from '../permissionPolicy';

/** The demo catalog: sample services, demo users and groups, the templates. */
const DEMO_CATALOG = path.resolve(
  __dirname,
  '../../../../examples/entities/catalog.yaml',
);

/** A CI token that may only register releases and report checks and observations. */
export const RESTRICTED_CI_TOKEN = 'ci-restricted-token-0123456789';

export interface DemoBackend {
  backend: TestBackend;
  baseUrl: string;
  dir: string;
  /** Stops the backend and removes its files. */
  stop(): Promise<void>;
  /** A Backstage token of a demo user, from the demo sign-in. */
  signIn(user: string): Promise<string>;
  /** Calls a plugin's API with a token. */
  call(
    token: string,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }>;
}

/**
 * Starts the demo backend as packages/backend does — auth with the demo
 * provider, catalog with examples/entities/catalog.yaml and the scaffolder
 * entity model, permission with the demo policy, scaffolder with our module,
 * Immutable Releases, notifications, and the MCP server of the actions of
 * `catalog` and `immutable-releases` — with Backstage's real auth, user info
 * and permission services. Immutable Releases runs on the given database.
 */
export async function startDemoBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<DemoBackend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir-demo-backend-'));
  const deployScript = path.join(dir, 'deploy.js');
  fs.writeFileSync(
    deployScript,
    "process.stdin.resume(); process.stdin.on('end', () => console.log('deployed'));\n",
  );
  const releasesKnex = await databases.init(databaseId);

  const backend = await startTestBackend({
    features: [
      authPlugin,
      demoAuthProviderModule,
      catalogPlugin,
      scaffolderEntityModelModule,
      permissionPlugin,
      immutableReleasesDemoPolicyModule,
      scaffolderPlugin,
      scaffolderImmutableReleasesModule,
      immutableReleasesPlugin,
      mcpActionsPlugin,
      // Not the signals backend: its WebSocket route needs an HTTP server
      // that the test backend's root router does not have.
      notificationsPlugin,
      releasesDatabaseServiceFactory(releasesKnex),
      authServiceFactory,
      httpAuthServiceFactory,
      userInfoServiceFactory,
      permissionsServiceFactory,
      permissionsRegistryServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            baseUrl: 'http://localhost:7007',
            actions: {
              pluginSources: ['catalog', 'immutable-releases'],
              filter: {
                include: [
                  { id: 'immutable-releases:*' },
                  { id: 'catalog:*', attributes: { readOnly: true } },
                ],
              },
            },
            auth: {
              externalAccess: [
                {
                  type: 'static',
                  options: {
                    token: RESTRICTED_CI_TOKEN,
                    subject: 'ci-pipeline',
                  },
                  accessRestrictions: [
                    {
                      plugin: 'immutable-releases',
                      permission: [
                        'immutable-releases.release.create',
                        'immutable-releases.observation.create',
                      ],
                    },
                  ],
                },
              ],
            },
          },
          auth: {
            providers: { demo: { dangerouslyAllowSignInAsAnyUser: true } },
          },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'API',
                  'Resource',
                  'Location',
                  'Group',
                  'User',
                  'Template',
                ],
              },
            ],
            locations: [{ type: 'file', target: DEMO_CATALOG }],
          },
          permission: { enabled: true },
          immutableReleases: {
            executors: {
              local: {
                type: 'command',
                command: [process.execPath, deployScript],
              },
            },
            pipelines: {
              default: {
                environments: [
                  { name: 'development', executor: 'local', autoPromote: true },
                  {
                    name: 'staging',
                    from: 'development',
                    executor: 'local',
                    requiredChecks: ['unit-tests'],
                  },
                  {
                    name: 'production',
                    from: 'staging',
                    executor: 'local',
                    approvals: {
                      required: 2,
                      notify: ['group:default/release-managers'],
                    },
                  },
                ],
              },
            },
          },
        },
      }),
    ],
  });

  const baseUrl = `http://localhost:${backend.server.port()}`;

  async function call(
    token: string,
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
  ) {
    const response = await fetch(`${baseUrl}${url}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async function signIn(user: string): Promise<string> {
    const response = await fetch(`${baseUrl}/api/auth/demo/refresh`, {
      headers: { 'x-demo-user': user },
    });
    const body = await response.json();
    if (response.status !== 200) {
      throw new Error(
        `sign-in as ${user} answered ${response.status}: ${JSON.stringify(
          body,
        )}`,
      );
    }
    return body.backstageIdentity.token;
  }

  // The catalog ingests its locations in the background: wait for the
  // entities the tests use, through the catalog API.
  await eventually(
    async () => {
      const token = await signIn('carol');
      for (const ref of [
        'component/default/checkout',
        'user/default/dave',
        'template/default/promote-release',
        'template/default/register-first-release',
      ]) {
        const { status } = await call(
          token,
          'GET',
          `/api/catalog/entities/by-name/${ref}`,
        );
        expect(status).toBe(200);
      }
    },
    60_000,
    200,
  );

  async function stop() {
    await backend.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  return { backend, baseUrl, dir, stop, signIn, call };
}
