import crypto from 'node:crypto';
import { JsonObject } from '@backstage/types';
import {
  checkoutEntity,
  createTestDatabases,
  digestOf,
  eventually,
  lastTransitionMessage,
  releasesTestBackendStarter,
  ReleasesTestClient,
} from '@internal/test-utils';
import { GithubApiServer, RunBehaviour } from './__testUtils__/GithubApiServer';
import immutableReleasesModuleGithub from './index';

jest.setTimeout(60_000);

const TOKEN = 'ghp-test-token-do-not-leak';
const URI = 'ghcr.io/acme/checkout';
const REPOSITORY = 'acme/checkout';
const WORKFLOW = 'deploy.yml';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'GitHub module in the immutable-releases backend on %p',
  databaseId => {
    const startBackend = releasesTestBackendStarter(databases, databaseId);
    let api: GithubApiServer;

    beforeEach(async () => {
      api = await GithubApiServer.start(TOKEN);
    });
    afterEach(async () => {
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
      const backend = await startBackend({
        entities: [checkoutEntity({ 'github.com/project-slug': REPOSITORY })],
        features: [immutableReleasesModuleGithub],
        anonymousWithoutCredentials: true,
        config: {
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
      });
      return new ReleasesTestClient(backend.baseUrl);
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
      const releases = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('succeeded');
      const dispatches = api.requests.filter(r => r.method === 'POST');
      expect(dispatches).toEqual([
        {
          method: 'POST',
          path: `/repos/${REPOSITORY}/actions/workflows/${WORKFLOW}/dispatches`,
          query: {},
          authorization: `Bearer ${TOKEN}`,
          contentType: 'application/json',
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
      expect(lastTransitionMessage(deployment)).toBe(
        `workflow ${WORKFLOW} of ${REPOSITORY} on release: run #2 succeeded`,
      );
    });

    it('dispatches with the installation token of a GitHub App from integrations.github', async () => {
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
        modulusLength: 2048,
      });
      api.enableApp(publicKey, 'acme');
      addDeployWorkflow('succeeds');
      const releases = await start({
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

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('succeeded');
      const dispatch = api.requests.find(r => r.path.endsWith('/dispatches'));
      expect(dispatch?.authorization).toMatch(/^Bearer ghs_[0-9a-f]{24}$/);
      expect(JSON.stringify(deployment)).not.toContain('ghs_');
    });

    it('fails with the conclusion of a run that fails, keeping the run URL', async () => {
      addDeployWorkflow('fails');
      const releases = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `workflow ${WORKFLOW} of ${REPOSITORY} on release: run #1 concluded failure`,
      );
      expect(deployment.executor?.url).toMatch(
        /^https:\/\/github\.example\/acme\/checkout\/actions\/runs\/\d+$/,
      );
    });

    it('fails when no run appears within the timeout', async () => {
      addDeployWorkflow('never-starts');
      const releases = await start({
        executor: { timeout: { milliseconds: 500 } },
      });

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `no run of workflow ${WORKFLOW} of ${REPOSITORY} on release appeared within 500 ms of the dispatch`,
      );
    });

    it('cancels a run that does not complete within the timeout, and fails with its status', async () => {
      addDeployWorkflow('hangs');
      const releases = await start({
        executor: { timeout: { milliseconds: 500 } },
      });

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `workflow ${WORKFLOW} of ${REPOSITORY} on release: run #1 did not complete within 500 ms (status: in_progress); cancelled it`,
      );
      const cancel = api.requests.find(r => r.path.endsWith('/cancel'));
      expect(cancel?.path).toMatch(
        new RegExp(`^/repos/${REPOSITORY}/actions/runs/\\d+/cancel$`),
      );
      expect(deployment.executor?.url).toBeDefined();
    });

    it('shows the run and its link on the deployment while the run is in progress', async () => {
      addDeployWorkflow('hangs');
      const releases = await start({
        executor: { timeout: { seconds: 3 } },
      });
      const release = await releases.registerRelease({
        uri: URI,
        version: '1.1.0',
      });

      const running = await eventually(async () => {
        const deployment = await releases.deploymentOf(release);
        expect(deployment).toMatchObject({
          status: 'running',
          executor: { output: expect.stringContaining('in_progress') },
        });
        return deployment!;
      });
      const runRead = api.requests.find(r =>
        /\/actions\/runs\/\d+$/.test(r.path),
      )!;
      const runId = Number(runRead.path.split('/').pop());
      const { html_url } = api.run(runId)!;
      expect(running.executor).toEqual({
        name: 'actions',
        type: 'github-actions',
        url: html_url,
        output: `run #1 (id ${runId}): in_progress\n${html_url}`,
      });
      expect((await releases.deployment(running.id)).executor?.url).toBe(
        html_url,
      );
      expect((await releases.finishedDeploymentOf(release)).status).toBe(
        'failed',
      );
    });

    it('fails with what to check, without the token, when GitHub refuses the credentials', async () => {
      addDeployWorkflow();
      const releases = await start({
        integrations: githubIntegration({ token: 'ghp-revoked' }),
      });

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `could not list the runs of workflow ${WORKFLOW} of ${REPOSITORY} on release: GitHub ${api.host}: GET /repos/${REPOSITORY}/actions/workflows/${WORKFLOW}/runs answered 401 (Unauthorized: Bad credentials); check the token or GitHub App of integrations.github for this host`,
      );
      expect(JSON.stringify(deployment)).not.toContain('ghp-');
      expect(api.requests.filter(r => r.method === 'POST')).toEqual([]);
    });

    it('fails naming the permission when GitHub refuses the dispatch to a token that may only read', async () => {
      addDeployWorkflow();
      api.dispatchForbidden = true;
      const releases = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `could not dispatch workflow ${WORKFLOW} of ${REPOSITORY} on release: GitHub ${api.host}: POST /repos/${REPOSITORY}/actions/workflows/${WORKFLOW}/dispatches answered 403 (Forbidden: Resource not accessible by personal access token); the token or GitHub App needs the actions: write permission on https://${api.host}/${REPOSITORY}`,
      );
      expect(JSON.stringify(deployment)).not.toContain(TOKEN);
    });

    it('fails naming the workflow when GitHub does not know it', async () => {
      api.addWorkflow(REPOSITORY, 'release.yml');
      const releases = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `could not list the runs of workflow ${WORKFLOW} of ${REPOSITORY} on release: GitHub ${api.host}: GET /repos/${REPOSITORY}/actions/workflows/${WORKFLOW}/runs answered 404 (Not Found: Not Found); the repository or the workflow does not exist, or the credentials cannot see https://${api.host}/${REPOSITORY} (they need actions: write)`,
      );
      expect(JSON.stringify(deployment)).not.toContain(TOKEN);
    });

    it('fails with GitHub’s reason when the workflow refuses the dispatch', async () => {
      api.addWorkflow(REPOSITORY, WORKFLOW, { inputs: ['image'] });
      const releases = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
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
