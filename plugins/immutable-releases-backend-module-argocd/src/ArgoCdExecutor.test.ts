import { eventually, testDeploymentContext } from '@internal/test-utils';
import { ArgoCdApiServer } from './__testUtils__/ArgoCdApiServer';
import { ArgoCdExecutor } from './ArgoCdExecutor';

const TOKEN = 'executor-test-token';
const URI = 'ghcr.io/acme/agent';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('ArgoCdExecutor', () => {
  let api: ArgoCdApiServer;
  beforeEach(async () => {
    api = await ArgoCdApiServer.start(TOKEN);
  });
  afterEach(() => api.stop());

  function executor(application: string) {
    return new ArgoCdExecutor({
      connection: {
        baseUrl: api.url,
        token: TOKEN,
        skipTLSVerify: false,
        application,
      },
      timeoutMs: 5_000,
      pollIntervalMs: 10,
    });
  }

  function deploymentContext(signal?: AbortSignal) {
    return testDeploymentContext({
      uri: URI,
      digest: DIGEST,
      entityName: 'agent',
      environment: 'edge',
      signal,
    });
  }

  function context(signal?: AbortSignal) {
    return deploymentContext(signal).context;
  }

  it('stops waiting and fails when the deployment is aborted', async () => {
    api.addApplication({
      name: 'agent-edge',
      source: { kustomize: { images: [`${URI}:1.9`] } },
      manifestImages: [`${URI}:1.9`],
      behaviour: 'stalls',
    });
    const controller = new AbortController();
    const { context: running, progress } = deploymentContext(controller.signal);
    const deploying = executor(
      '{{ entity.metadata.name }}-{{ environment }}',
    ).deploy(running);
    await eventually(
      async () =>
        expect(progress[progress.length - 1]).toEqual({
          url: `${api.url}/applications/agent-edge`,
          output: `application agent-edge\nset kustomize image ${URI}=${URI}@${DIGEST}\nsync OutOfSync, health Progressing, operation Running`,
        }),
      5_000,
      5,
    );

    controller.abort();

    expect(await deploying).toEqual({
      status: 'failed',
      url: `${api.url}/applications/agent-edge`,
      message: 'deployment aborted',
      output: `application agent-edge\nset kustomize image ${URI}=${URI}@${DIGEST}\nsync OutOfSync, health Progressing, operation Running`,
    });
  });

  it('fails without a request when the template needs what the entity lacks', async () => {
    const outcome = await executor(
      "{{ entity.metadata.labels['argocd-app'] }}",
    ).deploy(context());

    expect(outcome).toEqual({
      status: 'failed',
      message:
        "the Argo CD application cannot be named from the entity; caused by UrlTemplateError: entity component:default/agent has no label 'argocd-app', which the URL template uses in {{ entity.metadata.labels['argocd-app'] }}",
    });
    expect(api.requests).toEqual([]);
  });

  it('fails naming the application Argo CD does not know', async () => {
    const outcome = await executor('{{ entity.metadata.name }}-qa').deploy(
      context(),
    );

    expect(outcome).toMatchObject({
      status: 'failed',
      message: `Argo CD ${
        new URL(api.url).host
      }: GET /api/v1/applications/agent-qa answered 404 (applications.argoproj.io "agent-qa" not found)`,
    });
  });
});
