import { DeploymentContext } from 'backstage-plugin-immutable-releases-node';
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

  function context(signal = new AbortController().signal): DeploymentContext {
    return {
      payload: {
        deploymentId: 'd-1',
        kind: 'promotion',
        entityRef: 'component:default/agent',
        environment: 'edge',
        artifactRef: `${URI}@${DIGEST}`,
        release: {
          id: 'r-1',
          version: '2.0.0',
          artifact: { type: 'oci-image', uri: URI, digest: DIGEST },
          source: {},
          build: {},
          labels: {},
        },
      },
      entity: {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'agent', namespace: 'default' },
      },
      signal,
      callbackToken: 'unused',
    };
  }

  it('stops waiting and fails when the deployment is aborted', async () => {
    api.addApplication({
      name: 'agent-edge',
      source: { kustomize: { images: [`${URI}:1.9`] } },
      manifestImages: [`${URI}:1.9`],
      behaviour: 'stalls',
    });
    const controller = new AbortController();
    const deploying = executor(
      '{{ entity.metadata.name }}-{{ environment }}',
    ).deploy(context(controller.signal));
    // A second read after the sync: the first one's answer has been taken in.
    const readsAfterSync = () => {
      const sync = api.requests.findIndex(r => r.path.endsWith('/sync'));
      return sync === -1
        ? 0
        : api.requests.slice(sync).filter(r => r.method === 'GET').length;
    };
    while (readsAfterSync() < 2) {
      await new Promise(resolve => setTimeout(resolve, 5));
    }

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
