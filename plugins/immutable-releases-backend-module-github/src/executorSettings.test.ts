import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { ScmIntegrations } from '@backstage/integration';
import { readExecutorSettings } from './executorSettings';

const KEY = 'immutableReleases.executors.deploy';

function read(
  executor: JsonObject,
  github: JsonObject[] = [{ host: 'github.com', token: 'ghp-secret' }],
) {
  return readExecutorSettings(
    ScmIntegrations.fromConfig(new ConfigReader({ integrations: { github } })),
    new ConfigReader({
      type: 'github-actions',
      repository: 'acme/checkout',
      workflow: 'deploy.yml',
      ...executor,
    }),
    KEY,
  );
}

describe('readExecutorSettings', () => {
  it('defaults to github.com, ref main, a 30 minute timeout and a 10 second poll', () => {
    expect(read({})).toEqual({
      host: 'github.com',
      apiBaseUrl: 'https://api.github.com',
      repository: 'acme/checkout',
      workflow: 'deploy.yml',
      ref: 'main',
      inputs: {},
      timeoutMs: 30 * 60_000,
      pollIntervalMs: 10_000,
    });
  });

  it('takes a numeric workflow id, and numbers and booleans as input text', () => {
    expect(
      read({
        workflow: 161335,
        inputs: {
          image: '{{ deployment.artifactRef }}',
          dry_run: false,
          replicas: 3,
        },
      }),
    ).toMatchObject({
      workflow: '161335',
      inputs: {
        image: '{{ deployment.artifactRef }}',
        dry_run: 'false',
        replicas: '3',
      },
    });
  });

  it('uses the apiBaseUrl of a GitHub Enterprise entry, with a GitHub App instead of a token', () => {
    expect(
      read({ host: 'ghe.example.com' }, [
        {
          host: 'ghe.example.com',
          apiBaseUrl: 'https://ghe.example.com/api/v3/',
          apps: [
            { appId: 7, clientId: 'c', clientSecret: 's', privateKey: 'k' },
          ],
        },
      ]),
    ).toMatchObject({
      host: 'ghe.example.com',
      apiBaseUrl: 'https://ghe.example.com/api/v3',
    });
  });

  it.each([
    [
      { workflow: 'deploy' },
      `${KEY}.workflow must be a workflow file name such as deploy.yml, or a workflow id, got "deploy"`,
    ],
    [
      { workflow: '.github/workflows/deploy.yml' },
      `${KEY}.workflow must be a workflow file name such as deploy.yml, or a workflow id, got ".github/workflows/deploy.yml"`,
    ],
    [
      { ref: '{{ deployment.environment }' },
      `${KEY}.ref: '{{ deployment.environment }' has an unbalanced '{{' or '}}'`,
    ],
    [
      { inputs: ['image'] },
      `${KEY}.inputs must map input names to templates, e.g. { image: '{{ deployment.artifactRef }}' }`,
    ],
    [
      { inputs: { image: { value: 1 } } },
      `${KEY}.inputs.image must be a string (a template), a number or a boolean`,
    ],
    [
      { pollInterval: { seconds: 0 } },
      `${KEY}.pollInterval must be a positive duration`,
    ],
  ])('refuses %j, naming the key', (executor, message) => {
    expect(() => read(executor)).toThrow(message);
  });

  it('refuses a GitHub Enterprise entry without apiBaseUrl, saying what to configure', () => {
    expect(() =>
      read({ host: 'ghe.example.com' }, [
        { host: 'ghe.example.com', token: 'ghp-secret' },
      ]),
    ).toThrow(
      `${KEY}.host: the integrations.github entry for ghe.example.com has no apiBaseUrl; configure integrations.github: [{ host: ghe.example.com, apiBaseUrl: https://<host>/api/v3, token: \${GITHUB_TOKEN} }] (or apps: [...] for a GitHub App)`,
    );
  });
});
