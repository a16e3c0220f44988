import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Server as HttpServer } from 'node:http';
import {
  mockCredentials,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type {
  EnvironmentsResponse,
  EnvironmentStatus,
} from 'backstage-plugin-immutable-releases-common';
import request from 'supertest';
import {
  CapturedScheduledTasks,
  startReleasesTestBackend,
} from '@internal/test-utils';
import { digestOf, pipelineConfig, testEntity } from './testEngine';

const CHECKOUT =
  '/api/immutable-releases/v1/entities/component/default/checkout';
const ALICE = mockCredentials.user.header('user:default/alice');
/** The demo's deploy script and fleet server. */
export const EXAMPLES = path.resolve(__dirname, '../../../../examples/deploy');

/**
 * The plugin over HTTP for the drift tests of one database, with the demo's
 * deploy script. What a test registers in `cleanups` is undone after it, in
 * reverse order.
 */
export function driftBackendStarter(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup();
    }
  });

  /** Starts the backend; scheduled tasks are captured so the test runs them when it wants. */
  async function start(
    options: {
      config?: Record<string, unknown>;
      permissions?: ReturnType<typeof mockServices.permissions.mock>;
    } = {},
  ) {
    const stateDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'immutable-releases-drift-'),
    );
    cleanups.push(() => fs.rmSync(stateDir, { recursive: true, force: true }));
    const tasks = new CapturedScheduledTasks();
    const config = pipelineConfig(path.join(EXAMPLES, 'local-deploy.js'));
    const { backend } = await startReleasesTestBackend({
      databases,
      databaseId,
      entities: [testEntity('checkout'), testEntity('payments')],
      config: {
        immutableReleases: {
          ...config.immutableReleases,
          ...options.config,
        },
      },
      anonymousWithoutCredentials: true,
      scheduledTasks: tasks,
      features: options.permissions ? [options.permissions.factory] : [],
    });
    cleanups.push(() => backend.stop());
    return { server: backend.server, tasks, stateDir };
  }

  return { start, cleanups };
}

export async function environments(server: HttpServer) {
  const response = await request(server)
    .get(`${CHECKOUT}/environments`)
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  return response.body as EnvironmentsResponse;
}

export async function environment(
  server: HttpServer,
  name: string,
): Promise<EnvironmentStatus> {
  return (await environments(server)).environments.find(e => e.name === name)!;
}

export function observation(overrides: Record<string, unknown> = {}) {
  return {
    entityRef: 'component:default/checkout',
    environment: 'production',
    digest: digestOf('hotfix'),
    ...overrides,
  };
}
