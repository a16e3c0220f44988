import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
// Tests only: the actions are exercised against the real backend plugin, not a mock of its API.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import immutableReleasesPlugin from 'backstage-plugin-immutable-releases-backend';
import scaffolderModule from '..';

type PolicyDecision = Awaited<ReturnType<PermissionPolicy['handle']>>;

export const CHECKOUT = 'component:default/checkout';
/** Member of the owning team in the catalog fixture. */
export const CAROL = 'user:default/carol';
/** The test policy refuses her promotions and rollbacks. */
export const MALLORY = 'user:default/mallory';

/**
 * A real permission policy: everyone may do everything, except that
 * `user:default/mallory` may not promote or roll back.
 */
const testPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(request, user) {
            const refused =
              user?.info.userEntityRef === MALLORY &&
              [
                'immutable-releases.promotion.create',
                'immutable-releases.rollback.create',
              ].includes(request.permission.name);
            return { result: refused ? 'DENY' : 'ALLOW' } as PolicyDecision;
          },
        });
      },
    });
  },
});

const CATALOG_FIXTURE = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: checkout
  annotations:
    immutable-releases/pipeline: default
spec:
  type: service
  lifecycle: production
  owner: group:default/payments
`;

export interface ActionsBackend {
  backend: TestBackend;
  /** The actions the module registered with the scaffolder. */
  actions: Map<string, TemplateAction<any, any, any>>;
  /** Calls the Immutable Releases API directly, as a service. */
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response>;
  dir: string;
}

/**
 * Starts our backend plugin (on the given database), the real catalog with
 * `component:default/checkout`, the real permission backend with the test
 * policy, and this scaffolder module, whose actions are captured from the
 * scaffolder's extension point.
 */
export async function startActionsBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<ActionsBackend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir-scaffolder-'));
  fs.writeFileSync(path.join(dir, 'catalog.yaml'), CATALOG_FIXTURE);
  const deployScript = path.join(dir, 'deploy.js');
  fs.writeFileSync(
    deployScript,
    "process.stdin.resume(); process.stdin.on('end', () => console.log('deployed'));\n",
  );

  const releasesKnex = await databases.init(databaseId);
  const databaseFactory = createServiceFactory({
    service: coreServices.database,
    deps: { pluginMetadata: coreServices.pluginMetadata },
    async factory({ pluginMetadata }) {
      return mockServices.database({
        knex:
          pluginMetadata.getId() === 'immutable-releases'
            ? releasesKnex
            : // Not from TestDatabases: the scaffolder keeps polling its
              // database after the backend stopped, and a knex destroyed
              // under it crashes the Jest worker. In memory, dropped with it.
              knexFactory({
                client: 'better-sqlite3',
                connection: ':memory:',
                useNullAsDefault: true,
              }),
      });
    },
  });

  const actions = new Map<string, TemplateAction<any, any, any>>();
  const backend = await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        {
          addActions(...added: TemplateAction<any, any, any>[]) {
            for (const action of added) {
              actions.set(action.id, action);
            }
          },
        },
      ],
    ],
    features: [
      immutableReleasesPlugin,
      catalogPlugin,
      permissionPlugin,
      testPolicyModule,
      scaffolderModule,
      databaseFactory,
      permissionsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          permission: { enabled: true },
          catalog: {
            locations: [
              { type: 'file', target: path.join(dir, 'catalog.yaml') },
            ],
          },
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
                  { name: 'development', executor: 'local' },
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
                    approvals: { required: 1 },
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
  const api = (method: 'GET' | 'POST', apiPath: string, body?: unknown) =>
    fetch(`${baseUrl}/api/immutable-releases${apiPath}`, {
      method,
      headers: {
        Authorization: mockCredentials.service.header(),
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  // The catalog processes its locations in the background: wait for the entity.
  await eventually(async () => {
    const response = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/component/default/checkout`,
      { headers: { Authorization: mockCredentials.service.header() } },
    );
    expect(response.status).toBe(200);
  });

  return { backend, actions, api, dir };
}

/** Retries an assertion until it passes or 20 seconds have gone by. */
export async function eventually<T>(
  assertion: () => Promise<T>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }
}

/** A sha256 digest that is the same for the same seed. */
export function digestOf(seed: string): string {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`;
}
