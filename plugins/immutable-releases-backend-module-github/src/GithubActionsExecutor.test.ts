import { ConfigReader } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { eventually, testDeploymentContext } from '@internal/test-utils';
import { GithubApiServer } from './__testUtils__/GithubApiServer';
import { readExecutorSettings } from './executorSettings';
import { GithubActionsExecutor } from './GithubActionsExecutor';

const TOKEN = 'ghp-executor-test-token';
const DIGEST = `sha256:${'b'.repeat(64)}`;

function deploymentContext(
  signal?: AbortSignal,
  annotations: Record<string, string> = {},
) {
  return testDeploymentContext({
    uri: 'ghcr.io/acme/checkout',
    digest: DIGEST,
    entityName: 'checkout',
    annotations,
    signal,
  });
}

function contextWith(
  signal: AbortSignal,
  annotations?: Record<string, string>,
) {
  return deploymentContext(signal, annotations).context;
}

describe('GithubActionsExecutor', () => {
  let api: GithubApiServer;

  beforeEach(async () => {
    api = await GithubApiServer.start(TOKEN);
    api.addWorkflow('acme/checkout', 'deploy.yml', { inputs: ['image'] });
  });
  afterEach(() => api.stop());

  function executor(overrides: Record<string, unknown> = {}) {
    const integrations = ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [{ host: api.host, apiBaseUrl: api.url, token: TOKEN }],
        },
      }),
    );
    return new GithubActionsExecutor(
      readExecutorSettings(
        integrations,
        new ConfigReader({
          type: 'github-actions',
          host: api.host,
          repository: 'acme/{{ entity.metadata.name }}',
          workflow: 'deploy.yml',
          inputs: { image: '{{ deployment.artifactRef }}' },
          pollInterval: { milliseconds: 10 },
          timeout: { seconds: 5 },
          ...overrides,
        }),
        'immutableReleases.executors.actions',
      ),
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    );
  }

  it('keeps waiting through a run read that answers 502', async () => {
    api.failingRunReads = 2;

    const outcome = await executor().deploy(
      contextWith(new AbortController().signal),
    );

    expect(outcome).toMatchObject({
      status: 'succeeded',
      message: 'workflow deploy.yml of acme/checkout on main: run #1 succeeded',
    });
    expect(api.failingRunReads).toBe(0);
  });

  it('stops waiting when the deployment is aborted, and leaves the run alone', async () => {
    api.addWorkflow('acme/checkout', 'hang.yml', {
      inputs: ['image'],
      behaviour: 'hangs',
    });
    const abort = new AbortController();
    const { context, progress } = deploymentContext(abort.signal);

    const deploying = executor({ workflow: 'hang.yml' }).deploy(context);
    await eventually(
      async () =>
        expect(progress[progress.length - 1]).toEqual({
          url: expect.stringMatching(/\/acme\/checkout\/actions\/runs\/\d+$/),
          output: expect.stringMatching(/^run #1 \(id \d+\): in_progress\n/),
        }),
      5_000,
      10,
    );
    abort.abort();
    const outcome = await deploying;

    expect(outcome).toMatchObject({
      status: 'failed',
      message:
        'deployment aborted while workflow hang.yml of acme/checkout on main run #1 was in_progress',
      url: expect.stringMatching(/\/acme\/checkout\/actions\/runs\/\d+$/),
    });
    expect(api.requests.filter(r => r.path.endsWith('/cancel'))).toEqual([]);
  });

  it('fails before any request when the repository renders to something else than owner/name', async () => {
    const outcome = await executor({
      repository:
        "{{ entity.metadata.annotations['github.com/project-slug'] }}",
    }).deploy(
      contextWith(new AbortController().signal, {
        'github.com/project-slug': 'checkout',
      }),
    );

    expect(outcome).toEqual({
      status: 'failed',
      message:
        "repository '{{ entity.metadata.annotations['github.com/project-slug'] }}' rendered 'checkout', which is not owner/name",
    });
    expect(api.requests).toEqual([]);
  });

  it('fails naming the placeholder the entity has no value for', async () => {
    const outcome = await executor({
      inputs: { image: "{{ entity.metadata.labels['tier'] }}" },
    }).deploy(contextWith(new AbortController().signal));

    expect(outcome).toEqual({
      status: 'failed',
      message:
        "inputs: component:default/checkout has no value for {{ entity.metadata.labels['tier'] }} in '{{ entity.metadata.labels['tier'] }}'",
    });
    expect(api.requests).toEqual([]);
  });
});
