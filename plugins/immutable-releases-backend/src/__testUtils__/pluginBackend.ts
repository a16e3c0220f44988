/** The backend plugin over HTTP, as the plugin tests start and call it. */
import fs from 'node:fs';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { ServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import type {
  Deployment,
  EnvironmentsResponse,
  Page,
  Release,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { TERMINAL_DEPLOYMENT_STATUSES } from 'backstage-plugin-immutable-releases-common';
import type { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import { startReleasesTestBackend } from '@internal/test-utils';
import {
  digestOf,
  eventually,
  pipelineConfig,
  testEntity,
  writeDeployScript,
} from './testEngine';

/** How long a test waits for a deployment started in the background. */
export const WAIT_MS = 10_000;

export const BASE = '/api/immutable-releases';
export const ENTITY_REF = 'component:default/checkout';
export const ENTITY_PATH = `${BASE}/v1/entities/component/default/checkout`;
export const ALICE = mockCredentials.user.header('user:default/alice');
/** The default mock service principal, subject `external:test-service`: a CI pipeline. */
export const CI = mockCredentials.service.header();
export const CI_SUBJECT = mockCredentials.service().principal.subject;
export const STATIC_TOKEN = 'ci-static-token-0123456789';

export type Server = TestBackend['server'];

export interface StartOptions {
  /** Replaces the permissive default permissions service. */
  permissions?: ServiceFactory;
  /** Decides permissions with this policy in the real permission backend. */
  policy?: PermissionPolicy;
  /** Changes to environments of the default pipeline, by name, e.g. `{production: {approvals: …}}`. */
  environmentChanges?: Record<string, Record<string, unknown>>;
  /** Pipelines besides `default`, whose environments may use the executor `local`. */
  morePipelines?: Record<string, unknown>;
  /** The catalog's entities (default: components checkout and payments). */
  entities?: Entity[];
  /** Uses Backstage's real auth services (static tokens) instead of mockCredentials. */
  realAuth?: boolean;
  extraConfig?: Record<string, unknown>;
}

/**
 * The plugin over HTTP for the tests of one database: `start` starts it with
 * the README's pipeline and a deploy script of its own; each test's backends
 * are stopped after it.
 */
export function pluginBackendStarter(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const started: Array<{ backend: TestBackend; dir: string }> = [];

  afterEach(async () => {
    for (const { backend, dir } of started.splice(0)) {
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  return async function start(options: StartOptions = {}) {
    const deploy = writeDeployScript();
    const { backend, knex } = await startReleasesTestBackend({
      databases,
      databaseId,
      entities: options.entities ?? [
        testEntity('checkout'),
        testEntity('payments'),
      ],
      config: {
        ...withPipelineChanges(pipelineConfig(deploy.script), options),
        ...options.extraConfig,
      },
      policy: options.policy,
      features: [
        ...(options.realAuth
          ? [authServiceFactory, httpAuthServiceFactory]
          : // A request without credentials is anonymous, as in production.
            [
              mockServices.httpAuth.factory({
                defaultCredentials: mockCredentials.none(),
              }),
            ]),
        ...(options.permissions ? [options.permissions] : []),
      ],
    });
    started.push({ backend, dir: deploy.dir });
    return { server: backend.server, log: deploy.log, knex };
  };
}

function withPipelineChanges(
  config: ReturnType<typeof pipelineConfig>,
  options: StartOptions,
) {
  const pipelines: Record<string, unknown> = config.immutableReleases.pipelines;
  const pipeline = config.immutableReleases.pipelines.default;
  pipeline.environments = pipeline.environments.map(definition => ({
    ...definition,
    ...options.environmentChanges?.[definition.name],
  }));
  Object.assign(pipelines, options.morePipelines);
  return config;
}

export function releaseBody(
  version: string,
  artifact: { type?: string; digest?: string } = {},
): Record<string, unknown> {
  return {
    entityRef: 'component:default/checkout',
    version,
    artifact: {
      type: artifact.type ?? 'oci-image',
      uri: 'ghcr.io/acme/checkout',
      digest: artifact.digest ?? digestOf(version),
    },
    source: {
      repository: 'https://github.com/acme/checkout',
      commit: `c-${version}`,
    },
    labels: { team: 'payments' },
  };
}

export function withoutEntityRef(body: Record<string, unknown>) {
  const { entityRef: _omitted, ...rest } = body;
  return rest;
}

export async function register(
  server: Server,
  version: string,
  extra: Record<string, unknown> = {},
): Promise<Release> {
  const response = await request(server)
    .post(`${BASE}/v1/releases`)
    .set('Authorization', ALICE)
    .send({ ...releaseBody(version), ...extra });
  expect(response.status).toBe(201);
  return response.body;
}

/** Waits until the release is current in development, then promotes it to staging and waits for success. */
export async function promoteToStaging(
  server: Server,
  release: Release,
): Promise<Deployment> {
  await waitForCurrent(server, 'development', release.id);
  const response = await request(server)
    .post(`${BASE}/v1/promotions`)
    .set('Authorization', ALICE)
    .send({
      entityRef: ENTITY_REF,
      releaseId: release.id,
      environment: 'staging',
    });
  expect(response.status).toBe(202);
  const deployment = await waitForDeployment(server, response.body.id);
  expect(deployment.status).toBe('succeeded');
  return deployment;
}

export async function getDeployment(
  server: Server,
  id: string,
): Promise<Deployment> {
  const response = await request(server)
    .get(`${BASE}/v1/deployments/${id}`)
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  return response.body;
}

export function waitForDeployment(
  server: Server,
  id: string,
): Promise<Deployment> {
  return eventually(
    () => getDeployment(server, id),
    deployment => TERMINAL_DEPLOYMENT_STATUSES.includes(deployment.status),
    `deployment ${id} to finish`,
    WAIT_MS,
  );
}

export async function environment(server: Server, name: string) {
  const response = await request(server)
    .get(`${ENTITY_PATH}/environments`)
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  const body: EnvironmentsResponse = response.body;
  return body.environments.find(e => e.name === name)!;
}

export function waitForCurrent(
  server: Server,
  name: string,
  releaseId: string,
) {
  return eventually(
    () => environment(server, name),
    env =>
      env.currentRelease?.id === releaseId &&
      env.currentDeployment?.status === 'succeeded',
    `release ${releaseId} to be current in ${name}`,
    WAIT_MS,
  );
}

export async function listReleases(
  server: Server,
  query: Record<string, string> = {},
): Promise<Page<Release>> {
  const response = await request(server)
    .get(`${ENTITY_PATH}/releases`)
    .query(query)
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  return response.body;
}

export async function listDeployments(
  server: Server,
  environmentName?: string,
): Promise<Page<Deployment>> {
  const response = await request(server)
    .get(`${ENTITY_PATH}/deployments`)
    .query(environmentName ? { environment: environmentName } : {})
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  return response.body;
}

export async function listEvents(
  server: Server,
  query: Record<string, string> = {},
): Promise<Page<ReleaseEvent>> {
  const response = await request(server)
    .get(`${ENTITY_PATH}/events`)
    .query(query)
    .set('Authorization', ALICE);
  expect(response.status).toBe(200);
  return response.body;
}

export function gate(
  gates: Array<{ name: string; passed: boolean; message: string }>,
  name: string,
) {
  const found = gates?.find(g => g.name === name);
  if (!found) {
    throw new Error(`no gate ${name} in ${JSON.stringify(gates)}`);
  }
  return found;
}
