import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DeploymentExecutorFactory } from 'backstage-plugin-immutable-releases-node';
import { Knex } from 'knex';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { builtinExecutorFactories } from '../executors/builtinExecutors';
import { createImmutableReleasesEngine } from '../engine';

export const TEST_ENTITY_REF = 'component:default/checkout';

export function testEntity(name = 'checkout', pipeline?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(pipeline
        ? { annotations: { 'immutable-releases/pipeline': pipeline } }
        : {}),
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
  };
}

export function digestOf(seed: string | number): string {
  return `sha256:${Buffer.from(String(seed))
    .toString('hex')
    .padEnd(64, '0')
    .slice(0, 64)}`;
}

/**
 * A deploy script for tests: appends `start`/`end` lines with timestamps to
 * `log`, waits `DEPLOY_DELAY_MS` (env) in between, or until the file named by
 * `DEPLOY_HOLD_FILE` (env) exists, and fails for releases labelled
 * `fail: "true"`.
 */
export function writeDeployScript(): {
  script: string;
  log: string;
  dir: string;
} {
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'immutable-releases-test-'),
  );
  const script = path.join(dir, 'deploy.js');
  const log = path.join(dir, 'deploy.log');
  fs.writeFileSync(
    script,
    `const fs = require('fs');
let input = '';
process.stdin.on('data', d => (input += d));
process.stdin.on('end', () => {
  const payload = JSON.parse(input);
  const line = (what) => fs.appendFileSync(${JSON.stringify(
    log,
  )}, JSON.stringify({ what, id: payload.deploymentId, ref: process.env.IMMUTABLE_RELEASES_ARTIFACT_REF, environment: payload.environment, at: Date.now() }) + '\\n');
  line('start');
  console.log('deploying ' + process.env.IMMUTABLE_RELEASES_ARTIFACT_REF);
  const finish = () => {
    line('end');
    if (payload.release.labels.fail === 'true') { console.error('deploy failed on purpose'); process.exit(3); }
    console.log('deployed ' + process.env.IMMUTABLE_RELEASES_ARTIFACT_REF);
  };
  const hold = process.env.DEPLOY_HOLD_FILE;
  const waitForHold = () => (fs.existsSync(hold) ? finish() : setTimeout(waitForHold, 10));
  if (hold) {
    waitForHold();
  } else {
    setTimeout(finish, Number(process.env.DEPLOY_DELAY_MS || 0));
  }
});
`,
  );
  return { script, log, dir };
}

export function readDeployLog(log: string): Array<{
  what: string;
  id: string;
  ref: string;
  environment: string;
  at: number;
}> {
  if (!fs.existsSync(log)) {
    return [];
  }
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(line => JSON.parse(line));
}

/** The demo pipeline of the README: development → staging → production. */
export function pipelineConfig(
  script: string,
  overrides: Record<string, unknown> = {},
) {
  return {
    immutableReleases: {
      executors: {
        local: {
          type: 'command',
          command: [process.execPath, script],
          timeout: { seconds: 30 },
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
              requiredChecks: ['unit-tests', 'security-scan'],
            },
          ],
        },
      },
      ...overrides,
    },
  };
}

export interface TestEngineOptions {
  knex: Knex;
  config: object;
  entities?: Entity[];
  executorFactories?: DeploymentExecutorFactory[];
  clock?: () => Date;
  leaseMs?: number;
}

/** The real engine over a real database, as the plugin wires it. */
export async function createTestEngine(options: TestEngineOptions) {
  const db = await ReleasesDatabase.fromKnex(options.knex);
  const factories = new Map(
    [
      ...builtinExecutorFactories(process.cwd()),
      ...(options.executorFactories ?? []),
    ].map(f => [f.type, f]),
  );
  const auditor = mockServices.auditor.mock();
  const logger = mockServices.logger.mock();
  const engine = createImmutableReleasesEngine({
    config: mockServices.rootConfig({ data: options.config as any }),
    logger,
    db,
    catalog: catalogServiceMock({
      entities: options.entities ?? [testEntity()],
    }),
    auth: mockServices.auth(),
    auditor,
    executorFactories: factories,
    clock: options.clock,
    leaseMs: options.leaseMs,
  });
  return { ...engine, db, auditor, logger };
}

/** Polls until `read` returns something `done` accepts: deployments run in the background. */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; last value: ${JSON.stringify(value)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** A registration of the test entity with passing unit tests. */
export function releaseRequest(
  version: string,
  extra: Record<string, unknown> = {},
) {
  return {
    entityRef: TEST_ENTITY_REF,
    version,
    artifact: {
      type: 'oci-image' as const,
      uri: 'ghcr.io/acme/checkout',
      digest: digestOf(version),
    },
    checks: [{ name: 'unit-tests', status: 'passed' as const }],
    ...extra,
  };
}

/** The version current in an environment of the test entity, or null. */
export async function currentVersion(
  engine: Awaited<ReturnType<typeof createTestEngine>>,
  environment: string,
) {
  const status = await engine.environments.describe(TEST_ENTITY_REF);
  return (
    status.environments.find(e => e.name === environment)?.currentRelease
      ?.version ?? null
  );
}
