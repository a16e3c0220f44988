import { eventually, testDeploymentContext } from '@internal/test-utils';
import { KubernetesApiServer } from './__testUtils__/KubernetesApiServer';
import { KubernetesExecutor } from './KubernetesExecutor';

const TOKEN = 'executor-test-token';
const URI = 'ghcr.io/acme/agent';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('KubernetesExecutor', () => {
  let api: KubernetesApiServer;
  beforeEach(async () => {
    api = await KubernetesApiServer.start(TOKEN);
  });
  afterEach(() => api.stop());

  function executor(
    options: { token?: string; timeoutMs?: number; namespace?: string } = {},
  ) {
    return new KubernetesExecutor({
      cluster: {
        name: 'edge',
        configKey: 'kubernetes.clusterLocatorMethods[0].clusters[0]',
        url: api.url,
        serviceAccountToken: options.token ?? TOKEN,
        skipTLSVerify: false,
      },
      namespace: options.namespace,
      timeoutMs: options.timeoutMs ?? 5_000,
      pollIntervalMs: 10,
    });
  }

  function context(
    annotations: Record<string, string> = {},
    signal?: AbortSignal,
  ) {
    return testDeploymentContext({
      uri: URI,
      digest: DIGEST,
      entityName: 'agent',
      environment: 'edge',
      annotations,
      signal,
    }).context;
  }

  function addAgent(rollout: 'completes' | 'stalls' = 'completes') {
    api.addWorkload('DaemonSet', {
      namespace: 'edge',
      name: 'agent',
      labels: { 'backstage.io/kubernetes-id': 'agent' },
      replicas: 4,
      containers: [{ name: 'agent', image: `${URI}:1.9` }],
      rollout,
    });
  }

  it('rolls a DaemonSet out, found by the entity’s kubernetes id in the configured namespace', async () => {
    addAgent();

    const outcome = await executor({ namespace: 'edge' }).deploy(context());

    expect(outcome).toEqual({
      status: 'succeeded',
      message: `rolled out ${URI}@${DIGEST} to DaemonSet/agent in namespace edge of cluster edge`,
      output: `DaemonSet/agent [agent] → ${URI}@${DIGEST}: 4 desired, 4 updated, 4 available, 4 scheduled`,
    });
    expect(
      api.workload('DaemonSet', 'edge', 'agent').spec.template.spec
        .containers[0].image,
    ).toBe(`${URI}@${DIGEST}`);
  });

  it('reports the replica counts while the rollout progresses', async () => {
    addAgent();
    const { context: deploying, progress } = testDeploymentContext({
      uri: URI,
      digest: DIGEST,
      entityName: 'agent',
    });

    await executor({ namespace: 'edge' }).deploy(deploying);

    const reported = progress.map(p => p.output);
    expect(reported[0]).toBe(`DaemonSet/agent [agent] → ${URI}@${DIGEST}`);
    expect(reported).toContain(
      `DaemonSet/agent [agent] → ${URI}@${DIGEST}: 4 desired, 1 updated, 3 available, 4 scheduled`,
    );
    expect(reported[reported.length - 1]).toBe(
      `DaemonSet/agent [agent] → ${URI}@${DIGEST}: 4 desired, 4 updated, 4 available, 4 scheduled`,
    );
  });

  it('keeps waiting through answers that a later read may not repeat (503)', async () => {
    addAgent();
    api.unavailableReads = 2;

    const outcome = await executor({ namespace: 'edge' }).deploy(context());

    expect(outcome.status).toBe('succeeded');
    expect(api.unavailableReads).toBe(0);
  });

  it('says what the last read answered when it times out', async () => {
    addAgent('stalls');
    api.unavailableReads = 1_000;

    const outcome = await executor({
      namespace: 'edge',
      timeoutMs: 300,
    }).deploy(context());

    expect(outcome).toMatchObject({
      status: 'failed',
      message:
        'rollout did not complete within 300 ms: DaemonSet/agent: status not read yet (last read failed: cluster edge: GET /apis/apps/v1/namespaces/edge/daemonsets/agent answered 503 (ServiceUnavailable: the server is currently unable to handle the request))',
    });
  });

  it('stops waiting and fails when the deployment is aborted', async () => {
    addAgent('stalls');
    const abort = new AbortController();
    const deploying = executor({ namespace: 'edge' }).deploy(
      context({}, abort.signal),
    );
    await eventually(
      async () =>
        expect(
          api.requests.some(
            r => r.method === 'GET' && r.path.endsWith('/daemonsets/agent'),
          ),
        ).toBe(true),
      5_000,
      5,
    );
    abort.abort();

    await expect(deploying).resolves.toMatchObject({
      status: 'failed',
      message: 'deployment aborted',
      output: expect.stringMatching(/^DaemonSet\/agent \[agent\]/),
    });
  });

  it('names the cluster and the answer, never the token, when the token is refused', async () => {
    addAgent();

    const outcome = await executor({
      token: 'wrong-token',
      namespace: 'edge',
    }).deploy(context());

    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(
      /^cluster edge: GET \/apis\/apps\/v1\/namespaces\/edge\/\w+ answered 401 \(Unauthorized: Unauthorized\)$/,
    );
    expect(JSON.stringify(outcome)).not.toContain('wrong-token');
  });

  it('fails when no workload carries the label, or the annotated one does not exist', async () => {
    addAgent();

    expect(await executor().deploy(context())).toEqual({
      status: 'failed',
      message:
        'no Deployment, StatefulSet or DaemonSet labelled backstage.io/kubernetes-id=agent in namespace default of cluster edge',
    });
    expect(
      await executor().deploy(
        context({
          'backstage.io/kubernetes-namespace': 'edge',
          'immutable-releases/kubernetes-workload': 'deployment/agent',
        }),
      ),
    ).toEqual({
      status: 'failed',
      message:
        'Deployment/agent does not exist in namespace edge of cluster edge',
    });
  });
});
