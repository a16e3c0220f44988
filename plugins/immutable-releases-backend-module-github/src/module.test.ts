import crypto from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createTestDatabases } from '@internal/test-utils';
import type {
  Deployment,
  Page,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { TERMINAL_DEPLOYMENT_STATUSES } from 'backstage-plugin-immutable-releases-common';
// The module is tested inside the real backend plugin it extends.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import immutableReleasesPlugin from 'backstage-plugin-immutable-releases-backend';
import request from 'supertest';
import { GithubApiServer, RunBehaviour } from './__testUtils__/GithubApiServer';
import immutableReleasesModuleGithub from './index';

jest.setTimeout(60_000);

const BASE = '/api/immutable-releases';
const ENTITY_PATH = `${BASE}/v1/entities/component/default/checkout`;
const ALICE = mockCredentials.user.header('user:default/alice');
const TOKEN = 'ghp-test-token-do-not-leak';
const URI = 'ghcr.io/acme/checkout';
const REPOSITORY = 'acme/checkout';
const WORKFLOW = 'deploy.yml';

const databases = createTestDatabases();

function digestOf(seed: string): string {
  return `sha256:${Buffer.from(seed)
    .toString('hex')
    .padEnd(64, '0')
    .slice(0, 64)}`;
}

const checkoutEntity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    namespace: 'default',
    annotations: { 'github.com/project-slug': REPOSITORY },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
};

describe.each(databases.eachSupportedId())(
  'GitHub module in the immutable-releases backend on %p',
  databaseId => {
    let api: GithubApiServer;
    const backends: TestBackend[] = [];

    beforeEach(async () => {
      api = await GithubApiServer.start(TOKEN);
    });
    afterEach(async () => {
      for (const backend of backends.splice(0)) {
        await backend.stop();
      }
      await api.stop();
    });

    function githubIntegration(overrides: JsonObject = {}): JsonObject {
      return {
        github: [
          { host: api.host, apiBaseUrl: api.url, token: TOKEN, ...overrides },
        ],
      };
    }

    async function start(
      options: { executor?: JsonObject; integrations?: JsonObject } = {},
    ) {
      const backend = await startTestBackend({
        features: [
          immutableReleasesPlugin,
          immutableReleasesModuleGithub,
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          catalogServiceMock.factory({ entities: [checkoutEntity] }),
          mockServices.rootConfig.factory({
            data: {
              integrations: options.integrations ?? githubIntegration(),
              immutableReleases: {
                executors: {
                  actions: {
                    type: 'github-actions',
                    host: api.host,
                    repository:
                      "{{ entity.metadata.annotations['github.com/project-slug'] }}",
                    workflow: WORKFLOW,
                    ref: 'release',
                    inputs: {
                      image: '{{ deployment.artifactRef }}',
                      environment: '{{ deployment.environment }}',
                      service: '{{ entity.metadata.name }}',
                    },
                    timeout: { seconds: 5 },
                    pollInterval: { milliseconds: 20 },
                    ...options.executor,
                  },
                },
                pipelines: {
                  default: {
                    environments: [
                      {
                        name: 'production',
                        executor: 'actions',
                        autoPromote: true,
                      },
                    ],
                  },
                },
              },
            },
          }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      backends.push(backend);
      return backend.server;
    }

    async function register(server: TestBackend['server'], version: string) {
      const response = await request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', ALICE)
        .send({
          entityRef: 'component:default/checkout',
          version,
          artifact: { type: 'oci-image', uri: URI, digest: digestOf(version) },
        });
      expect(response.status).toBe(201);
      return response.body as Release;
    }

    /** Registers a release and waits for its automatic promotion to production to end. */
    async function deployRelease(
      server: TestBackend['server'],
      version: string,
    ): Promise<Deployment> {
      const release = await register(server, version);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const response = await request(server)
          .get(`${ENTITY_PATH}/deployments`)
          .set('Authorization', ALICE);
        expect(response.status).toBe(200);
        const deployment = (response.body as Page<Deployment>).items.find(
          d => d.releaseId === release.id,
        );
        if (
          deployment &&
          TERMINAL_DEPLOYMENT_STATUSES.includes(deployment.status)
        ) {
          return deployment;
        }
        if (Date.now() > deadline) {
          throw new Error(`deployment of ${version} did not finish`);
        }
        await new Promise(resolve => setTimeout(resolve, 25));
      }
    }

    function lastMessage(deployment: Deployment): string {
      return deployment.transitions[deployment.transitions.length - 1].message;
    }

    function addDeployWorkflow(behaviour?: RunBehaviour) {
      api.addWorkflow(REPOSITORY, WORKFLOW, {
        inputs: ['image', 'environment', 'service'],
        behaviour,
      });
    }

    it('dispatches the workflow with the rendered inputs and succeeds with the run it started', async () => {
      addDeployWorkflow('succeeds');
      const earlier = api.addPastRun(REPOSITORY, WORKFLOW, {
        branch: 'release',
        ageSeconds: 30,
      });
      const server = await start();

      const deployment = await deployRelease(server, '1.1.0');

      expect(deployment.status).toBe('succeeded');
      const dispatches = api.requests.filter(r => r.method === 'POST');
      expect(dispatches).toEqual([
        {
          method: 'POST',
          path: `/repos/${REPOSITORY}/actions/workflows/${WORKFLOW}/dispatches`,
          query: {},
          authorization: `Bearer ${TOKEN}`,
          body: {
            ref: 'release',
            inputs: {
              image: `${URI}@${digestOf('1.1.0')}`,
              environment: 'production',
              service: 'checkout',
            },
          },
        },
      ]);
      const runLists = api.requests.filter(r => r.path.endsWith('/runs'));
      expect(runLists.length).toBeGreaterThanOrEqual(2);
      expect(runLists[0].query).toEqual({
        event: 'workflow_dispatch',
        branch: 'release',
        created: expect.stringMatching(/^>=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        per_page: '100',
      });
      const dispatched = api.requests
        .filter(r => /\/actions\/runs\/\d+$/.test(r.path))
        .map(r => r.path);
      expect(dispatched.length).toBeGreaterThanOrEqual(2);
      const runId = Number(dispatched[0].split('/').pop());
      expect(runId).not.toBe(earlier.id);
      expect(new Set(dispatched)).toEqual(
        new Set([`/repos/${REPOSITORY}/actions/runs/${runId}`]),
      );
      expect(deployment.executor).toMatchObject({
        name: 'actions',
        type: 'github-actions',
        url: api.run(runId)!.html_url,
        output: `run #2 (id ${runId}): completed (success)\n${
          api.run(runId)!.html_url
        }`,
      });
      expect(lastMessage(deployment)).toBe(
        `workflow ${WORKFLOW} of ${REPOSITORY} on release: run #2 succeeded`,
      );
    });

    it('dispatches with the installation token of a GitHub App from integrations.github', async () => {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
        modulusLength: 2048,
      });
      api.enableApp(publicKey, 'acme');
      addDeployWorkflow('succeeds');
      const server = await start({
        integrations: githubIntegration({
          token: undefined,
          apps: [
            {
              appId: 1,
              clientId: 'Iv1.test',
              clientSecret: 'app-client-secret',
              privateKey: privateKey
                .export({ type: 'pkcs1', format: 'pem' })
                .toString(),
            },
          ],
        }),
      });

      const deployment = await deployRelease(server, '1.1.0');

      expect(deployment.status).toBe('succeeded');
      const dispatch = api.requests.find(r => r.path.endsWith('/dispatches'));
      expect(dispatch?.authorization).toMatch(/^Bearer ghs_[0-9a-f]{24}$/);
      expect(JSON.stringify(deployment)).not.toContain('ghs_');
    });

    it('fails with the conclusion of a run that fails, keeping the run URL', async () => {
      addDeployWorkflow('fails');
      const server = await start();

      const deployment = await deployRelease(server, '1.1.0');

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `workflow ${WORKFLOW} of ${REPOSITORY} on release: run #1 concluded failure`,
      );
      expect(deployment.executor?.url).toMatch(
        /^https:\/\/github\.example\/acme\/checkout\/actions\/runs\/\d+$/,
      );
    });

    it('fails when no run appears within the timeout', async () => {
      addDeployWorkflow('never-starts');
      const server = await start({
        executor: { timeout: { milliseconds: 500 } },
      });

      const deployment = await deployRelease(server, '1.1.0');

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `no run of workflow ${WORKFLOW} of ${REPOSITORY} on release appeared within 500 ms of the dispatch`,
      );
    });

    it('cancels a run that does not complete within the timeout, and fails with its status', async () => {
      addDeployWorkflow('hangs');
      const server = await start({
        executor: { timeout: { milliseconds: 500 } },
      });

      const deployment = await deployRelease(server, '1.1.0');

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `workflow ${WORKFLOW} of ${REPOSITORY} on release: run #1 did not complete within 500 ms (status: in_progress); cancelled it`,
      );
      const cancel = api.requests.find(r => r.path.endsWith('/cancel'));
      expect(cancel?.path).toMatch(
        new RegExp(`^/repos/${REPOSITORY}/actions/runs/\\d+/cancel$`),
      );
      expect(deployment.executor?.url).toBeDefined();
    });

    it('fails with what to check, without the token, when GitHub refuses the credentials', async () => {
      addDeployWorkflow();
      const server = await start({
        integrations: githubIntegration({ token: 'ghp-revoked' }),
      });

      const deployment = await deployRelease(server, '1.1.0');

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `could not list the runs of workflow ${WORKFLOW} of ${REPOSITORY} on release: GitHub ${api.host}: GET /repos/${REPOSITORY}/actions/workflows/${WORKFLOW}/runs answered 401 (Unauthorized: Bad credentials); check the token or GitHub App of integrations.github for this host`,
      );
      expect(JSON.stringify(deployment)).not.toContain('ghp-');
      expect(api.requests.filter(r => r.method === 'POST')).toEqual([]);
    });

    it('fails naming the permission when GitHub refuses the dispatch to a token that may only read', async () => {
      addDeployWorkflow();
      api.dispatchForbidden = true;
      const server = await start();

      const deployment = await deployRelease(server, '1.1.0');

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `could not dispatch workflow ${WORKFLOW} of ${REPOSITORY} on release: GitHub ${api.host}: POST /repos/${REPOSITORY}/actions/workflows/${WORKFLOW}/dispatches answered 403 (Forbidden: Resource not accessible by personal access token); the token or GitHub App needs the actions: write permission on https://${api.host}/${REPOSITORY}`,
      );
      expect(JSON.stringify(deployment)).not.toContain(TOKEN);
    });

    it('fails naming the workflow when GitHub does not know it', async () => {
      api.addWorkflow(REPOSITORY, 'release.yml');
      const server = await start();

      const deployment = await deployRelease(server, '1.1.0');

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `could not list the runs of workflow ${WORKFLOW} of ${REPOSITORY} on release: GitHub ${api.host}: GET /repos/${REPOSITORY}/actions/workflows/${WORKFLOW}/runs answered 404 (Not Found: Not Found); the repository or the workflow does not exist, or the credentials cannot see https://${api.host}/${REPOSITORY} (they need actions: write)`,
      );
      expect(JSON.stringify(deployment)).not.toContain(TOKEN);
    });

    it('fails with GitHub’s reason when the workflow refuses the dispatch', async () => {
      api.addWorkflow(REPOSITORY, WORKFLOW, { inputs: ['image'] });
      const server = await start();

      const deployment = await deployRelease(server, '1.1.0');

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `could not dispatch workflow ${WORKFLOW} of ${REPOSITORY} on release: GitHub ${api.host}: POST /repos/${REPOSITORY}/actions/workflows/${WORKFLOW}/dispatches answered 422 (Unprocessable Entity: Unexpected inputs provided: ["environment","service"])`,
      );
    });

    it.each([
      [
        { executor: { repository: undefined } },
        'immutableReleases.executors.actions.repository must be a non-empty string',
      ],
      [
        { executor: { workflow: undefined } },
        'immutableReleases.executors.actions.workflow must be a non-empty string',
      ],
      [
        { executor: { inputs: { image: '{{ deployment.image }}' } } },
        "immutableReleases.executors.actions.inputs.image: unknown placeholder {{ deployment.image }} in '{{ deployment.image }}'; supported: {{ deployment.deploymentId }}",
      ],
      [
        { executor: { host: 'ghe.example.com' } },
        'immutableReleases.executors.actions.host: there are no GitHub credentials for ghe.example.com; configure integrations.github: [{ host: ghe.example.com, apiBaseUrl: https://<host>/api/v3, token: ${GITHUB_TOKEN} }] (or apps: [...] for a GitHub App)',
      ],
      [
        { executor: { host: undefined } },
        'immutableReleases.executors.actions.host: there are no GitHub credentials for github.com; configure integrations.github: [{ host: github.com, token: ${GITHUB_TOKEN} }] (or apps: [...] for a GitHub App)',
      ],
      [
        { executor: { timeout: 'soon' } },
        "immutableReleases.executors.actions.timeout must be a duration such as { minutes: 5 } or '5m'",
      ],
      [
        { executor: { branch: 'main' } },
        'immutableReleases.executors.actions.branch is not a setting of the github-actions executor (known: type, repository, workflow, ref, inputs, host, timeout, pollInterval, callbackTimeout)',
      ],
    ])(
      'refuses to start on a configuration mistake, naming the key (%#)',
      async (options, message) => {
        await expect(start(options)).rejects.toThrow(message);
      },
    );
  },
);
