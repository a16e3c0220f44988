import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  mockCredentials,
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { startReleasesTestBackend } from '@internal/test-utils';
import scaffolderModule from '..';

export const CHECKOUT = 'component:default/checkout';
/** Member of the owning team in the catalog fixture. */
export const CAROL = 'user:default/carol';
/** The test policy refuses her promotions and rollbacks. */
export const MALLORY = 'user:default/mallory';

/**
 * A real permission policy: everyone may do everything, except that
 * `user:default/mallory` may not promote or roll back.
 */
const testPolicy: PermissionPolicy = {
  async handle(request, user) {
    const refused =
      user?.info.userEntityRef === MALLORY &&
      [
        'immutable-releases.promotion.create',
        'immutable-releases.rollback.create',
      ].includes(request.permission.name);
    return {
      result: refused ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
    };
  },
};

const CHECKOUT_ENTITY = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    annotations: { 'immutable-releases/pipeline': 'default' },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
};

export interface ActionsBackend {
  backend: TestBackend;
  /** The actions the module registered with the scaffolder. */
  actions: Map<string, TemplateAction<any, any, any>>;
  /** Calls the Immutable Releases API directly, as a service. */
  api(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response>;
  /** Stops the backend and removes its files. */
  stop(): Promise<void>;
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
  const deployScript = path.join(dir, 'deploy.js');
  fs.writeFileSync(
    deployScript,
    "process.stdin.resume(); process.stdin.on('end', () => console.log('deployed'));\n",
  );

  const actions = new Map<string, TemplateAction<any, any, any>>();
  const started = await startReleasesTestBackend({
    databases,
    databaseId,
    entities: [CHECKOUT_ENTITY],
    realCatalog: true,
    policy: testPolicy,
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
    features: [scaffolderModule],
    config: {
      app: { baseUrl: 'http://localhost:3000' },
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
  });

  const api = (method: 'GET' | 'POST', apiPath: string, body?: unknown) =>
    fetch(`${started.baseUrl}/api/immutable-releases${apiPath}`, {
      method,
      headers: {
        Authorization: mockCredentials.service.header(),
        'Content-Type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  return {
    backend: started.backend,
    actions,
    api,
    async stop() {
      await started.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A sha256 digest that is the same for the same seed. */
export function digestOf(seed: string): string {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`;
}
