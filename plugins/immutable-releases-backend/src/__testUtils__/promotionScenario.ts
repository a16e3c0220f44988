import { Knex } from 'knex';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@internal/test-utils';
import {
  createTestEngine,
  eventually,
  pipelineConfig,
  releaseRequest as testReleaseRequest,
  TEST_ENTITY_REF,
  writeDeployScript,
} from './testEngine';

export const ALICE = { actor: 'user:default/alice', isUser: true };
export const BOB = { actor: 'user:default/bob', isUser: true };
export const CAROL = { actor: 'user:default/carol', isUser: true };
export const CI = { actor: 'ci-pipeline', isUser: false };

const FINISHED = ['succeeded', 'failed', 'rejected', 'cancelled', 'superseded'];

/** A release of the test entity whose unit tests and security scan passed. */
export function releaseRequest(version: string) {
  return testReleaseRequest(version, {
    checks: [
      { name: 'unit-tests', status: 'passed' as const },
      { name: 'security-scan', status: 'passed' as const },
    ],
  });
}

/** The demo pipeline with one environment's definition changed. */
export function configWith(
  script: string,
  environment: string,
  changes: Record<string, unknown>,
  queue?: string,
) {
  const config = pipelineConfig(script);
  const pipeline = config.immutableReleases.pipelines.default as any;
  pipeline.environments = pipeline.environments.map((e: any) =>
    e.name === environment ? { ...e, ...changes } : e,
  );
  if (queue) {
    pipeline.queue = queue;
  }
  return config;
}

async function setUpEngine(knex: Knex, config: object, clock?: () => Date) {
  const engine = await createTestEngine({ knex, config, clock });
  const current = async (environment: string) =>
    (await engine.environments.describe(TEST_ENTITY_REF)).environments.find(
      e => e.name === environment,
    )?.currentRelease?.version ?? null;
  /** Registers a release and waits until development, which takes every release, runs it. */
  const register = async (version: string) => {
    const { release } = await engine.registry.register(
      releaseRequest(version),
      'ci-pipeline',
    );
    await eventually(
      () => current('development'),
      v => v === version,
      `${version} in development`,
    );
    return release;
  };
  const finished = (id: string) =>
    eventually(
      () => engine.history.getDeployment(id),
      d => FINISHED.includes(d.status),
      `deployment ${id}`,
    );
  return { engine, current, register, finished };
}

/**
 * Defines tests that run the engine for real, with a deploy script as its
 * executor, on each test database.
 */
export function describePromotionScenarios(
  title: string,
  define: (scenario: {
    /** An engine on a fresh database with `config`, and helpers to drive it. */
    setUp: (
      config: object,
      clock?: () => Date,
    ) => ReturnType<typeof setUpEngine>;
    deploy: ReturnType<typeof writeDeployScript>;
    knex: () => Knex;
    databaseId: TestDatabaseId;
  }) => void,
) {
  const databases = createTestDatabases();
  describe.each(databases.eachSupportedId())(`${title} on %p`, databaseId => {
    let knex: Knex;
    const deploy = writeDeployScript();
    beforeEach(async () => {
      knex = await databases.init(databaseId);
    });
    define({
      setUp: (config, clock) => setUpEngine(knex, config, clock),
      deploy,
      knex: () => knex,
      databaseId,
    });
  });
}
