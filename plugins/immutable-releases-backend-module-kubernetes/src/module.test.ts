import { JsonObject } from '@backstage/types';
import {
  CapturedScheduledTasks,
  checkoutEntity,
  createTestDatabases,
  digestOf,
  eventually,
  lastTransitionMessage,
  releasesTestBackendStarter,
  ReleasesTestClient,
} from '@internal/test-utils';
import { KubernetesApiServer } from './__testUtils__/KubernetesApiServer';
import { Pod } from './kubernetesTypes';
import immutableReleasesModuleKubernetes from './index';

jest.setTimeout(60_000);

const TOKEN = 'service-account-token-do-not-leak';
const URI = 'ghcr.io/acme/checkout';
const NAMESPACE = 'shop';
const SIDECAR = 'ghcr.io/acme/log-shipper:2.1';
const DRIFT_TASK =
  'immutable-releases-observe-kubernetes-test-cluster-production';

const databases = createTestDatabases();

/** The checkout service, deployed in {@link NAMESPACE}. */
function checkoutService(annotations: Record<string, string> = {}) {
  return checkoutEntity({
    'backstage.io/kubernetes-namespace': NAMESPACE,
    ...annotations,
  });
}

function clusterConfig(url: string, overrides: JsonObject = {}): JsonObject {
  return {
    clusterLocatorMethods: [
      {
        type: 'config',
        clusters: [
          {
            name: 'test-cluster',
            url,
            authProvider: 'serviceAccount',
            serviceAccountToken: TOKEN,
            ...overrides,
          },
        ],
      },
    ],
  };
}

describe.each(databases.eachSupportedId())(
  'Kubernetes module in the immutable-releases backend on %p',
  databaseId => {
    const startBackend = releasesTestBackendStarter(databases, databaseId);
    let api: KubernetesApiServer;

    beforeEach(async () => {
      api = await KubernetesApiServer.start(TOKEN);
    });
    afterEach(async () => {
      await api.stop();
    });

    async function start(
      options: {
        executor?: JsonObject;
        drift?: JsonObject;
        kubernetes?: JsonObject;
        entity?: ReturnType<typeof checkoutService>;
      } = {},
    ) {
      const tasks = new CapturedScheduledTasks();
      const backend = await startBackend({
        entities: [options.entity ?? checkoutService()],
        features: [immutableReleasesModuleKubernetes],
        anonymousWithoutCredentials: true,
        scheduledTasks: tasks,
        config: {
          kubernetes: options.kubernetes ?? clusterConfig(api.url),
          immutableReleases: {
            executors: {
              k8s: {
                type: 'kubernetes',
                cluster: 'test-cluster',
                timeout: { seconds: 5 },
                pollInterval: { milliseconds: 20 },
                ...options.executor,
              },
            },
            pipelines: {
              default: {
                environments: [
                  { name: 'production', executor: 'k8s', autoPromote: true },
                ],
              },
            },
            drift: {
              kubernetes: [
                {
                  environment: 'production',
                  cluster: 'test-cluster',
                  ...options.drift,
                },
              ],
            },
          },
        },
      });
      return {
        releases: new ReleasesTestClient(backend.baseUrl),
        observe: () => tasks.run(DRIFT_TASK),
      };
    }

    function addCheckout(
      options: { rollout?: 'completes' | 'stalls' | 'deadline' } = {},
    ) {
      api.addWorkload('Deployment', {
        namespace: NAMESPACE,
        name: 'checkout',
        labels: { 'backstage.io/kubernetes-id': 'checkout' },
        containers: [
          { name: 'app', image: `${URI}:1.0.0` },
          { name: 'log-shipper', image: SIDECAR },
        ],
        initContainers: [{ name: 'migrate', image: `${URI}:1.0.0` }],
        rollout: options.rollout,
      });
    }

    it('pins the matching containers to uri@digest and succeeds once the rollout completes', async () => {
      addCheckout();
      api.addWorkload('Deployment', {
        namespace: NAMESPACE,
        name: 'someone-else',
        labels: { 'backstage.io/kubernetes-id': 'payments' },
        containers: [{ name: 'app', image: `${URI}:0.1` }],
      });
      const { releases } = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('succeeded');
      const spec = api.workload('Deployment', NAMESPACE, 'checkout').spec
        .template.spec;
      expect(spec.containers).toEqual([
        { name: 'app', image: `${URI}@${digestOf('1.1.0')}` },
        { name: 'log-shipper', image: SIDECAR },
      ]);
      expect(spec.initContainers).toEqual([
        { name: 'migrate', image: `${URI}@${digestOf('1.1.0')}` },
      ]);
      expect(
        api.workload('Deployment', NAMESPACE, 'someone-else').spec.template.spec
          .containers[0].image,
      ).toBe(`${URI}:0.1`);
      expect(deployment.executor).toMatchObject({
        name: 'k8s',
        type: 'kubernetes',
      });
      expect(deployment.executor?.output).toBe(
        `Deployment/checkout [migrate (init), app] → ${URI}@${digestOf(
          '1.1.0',
        )}: 3 desired, 3 updated, 3 available, 3 total`,
      );
      const patches = api.requests.filter(r => r.method === 'PATCH');
      expect(patches).toEqual([
        expect.objectContaining({
          path: `/apis/apps/v1/namespaces/${NAMESPACE}/deployments/checkout`,
          contentType: 'application/strategic-merge-patch+json',
        }),
      ]);
      expect(
        api.requests.find(r => r.path.endsWith('/statefulsets'))?.query,
      ).toMatchObject({ labelSelector: 'backstage.io/kubernetes-id=checkout' });
    });

    it('deploys to the workload named by the annotation, whatever its labels', async () => {
      api.addWorkload('StatefulSet', {
        namespace: NAMESPACE,
        name: 'checkout-db-writer',
        containers: [{ name: 'writer', image: `${URI}:1.0.0` }],
      });
      const { releases } = await start({
        entity: checkoutService({
          'immutable-releases/kubernetes-workload':
            'statefulset/checkout-db-writer',
        }),
      });

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.2.0',
      });

      expect(deployment.status).toBe('succeeded');
      expect(
        api.workload('StatefulSet', NAMESPACE, 'checkout-db-writer').spec
          .template.spec.containers[0].image,
      ).toBe(`${URI}@${digestOf('1.2.0')}`);
    });

    it('fails a rollout that does not complete within the timeout, with its status', async () => {
      addCheckout({ rollout: 'stalls' });
      const { releases } = await start({
        executor: { timeout: { milliseconds: 600 } },
      });

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        'rollout did not complete within 600 ms: Deployment/checkout: 1 of 3 replicas updated (3 desired, 1 updated, 3 available, 4 total)',
      );
    });

    it('shows the workload and its replica counts on the deployment while the rollout runs', async () => {
      addCheckout({ rollout: 'stalls' });
      const { releases } = await start({
        executor: { timeout: { seconds: 3 } },
      });
      const release = await releases.registerRelease({
        uri: URI,
        version: '1.1.0',
      });

      await eventually(async () => {
        expect(await releases.deploymentOf(release)).toMatchObject({
          status: 'running',
          executor: {
            name: 'k8s',
            type: 'kubernetes',
            output: `Deployment/checkout [migrate (init), app] → ${URI}@${digestOf(
              '1.1.0',
            )}: 3 desired, 1 updated, 3 available, 4 total`,
          },
        });
      });
      expect((await releases.finishedDeploymentOf(release)).status).toBe(
        'failed',
      );
    });

    it('fails at once when the deployment reports ProgressDeadlineExceeded', async () => {
      addCheckout({ rollout: 'deadline' });
      const { releases } = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toMatch(
        /^rollout of Deployment\/checkout failed: ProgressDeadlineExceeded: ReplicaSet "checkout-7d4b9c" has timed out progressing\. \(3 desired, 1 updated, 3 available, 4 total\)$/,
      );
    });

    it('fails naming the images found when no container runs the release repository', async () => {
      api.addWorkload('Deployment', {
        namespace: NAMESPACE,
        name: 'checkout',
        labels: { 'backstage.io/kubernetes-id': 'checkout' },
        containers: [
          { name: 'app', image: 'ghcr.io/acme/checkout-legacy:9' },
          { name: 'log-shipper', image: SIDECAR },
        ],
      });
      const { releases } = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `no container runs ${URI} in Deployment/checkout (images: ghcr.io/acme/checkout-legacy:9, ${SIDECAR})`,
      );
      expect(api.requests.filter(r => r.method === 'PATCH')).toEqual([]);
    });

    it('fails naming the cluster, without the token, when the API server refuses', async () => {
      addCheckout();
      api.forbidden = true;
      const { releases } = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toMatch(
        /^cluster test-cluster: GET \/apis\/apps\/v1\/namespaces\/shop\/\w+ answered 403 \(Forbidden: /,
      );
      expect(JSON.stringify(deployment)).not.toContain(TOKEN);
    });

    it('observes the digest most pods run, with one pod list per namespace', async () => {
      addCheckout();
      const { releases, observe } = await start();
      expect(
        (await releases.deployRelease({ uri: URI, version: '1.1.0' })).status,
      ).toBe('succeeded');

      const pod = (name: string, digest: string, id = 'checkout'): Pod => ({
        metadata: { name, labels: { 'backstage.io/kubernetes-id': id } },
        spec: {
          containers: [
            { name: 'app', image: `${URI}@${digest}` },
            { name: 'log-shipper', image: SIDECAR },
          ],
        },
        status: {
          phase: 'Running',
          containerStatuses: [
            { name: 'app', imageID: `docker-pullable://${URI}@${digest}` },
            {
              name: 'log-shipper',
              imageID: `docker-pullable://ghcr.io/acme/log-shipper@${digestOf(
                'sidecar',
              )}`,
            },
          ],
        },
      });
      // Mid-rollout: two pods on the new digest, one left on the old.
      api.setPods(NAMESPACE, [
        pod('checkout-a', digestOf('1.1.0')),
        pod('checkout-b', digestOf('1.1.0')),
        pod('checkout-c', digestOf('1.0.0')),
        pod('payments-a', digestOf('other'), 'payments'),
      ]);
      const podLists = () => api.requests.filter(r => r.path.endsWith('/pods'));

      await observe();

      expect(podLists()).toEqual([
        expect.objectContaining({
          path: `/api/v1/namespaces/${NAMESPACE}/pods`,
          query: expect.objectContaining({
            labelSelector: 'backstage.io/kubernetes-id in (checkout)',
          }),
        }),
      ]);
      expect(await releases.drift('production')).toMatchObject({
        status: 'in-sync',
        observedDigest: digestOf('1.1.0'),
        observedSource: 'kubernetes:test-cluster:production',
        observedDetails: {
          instances: 2,
          otherDigests: [{ digest: digestOf('1.0.0'), instances: 1 }],
        },
      });

      // Most pods back on an unregistered digest: someone patched the cluster.
      api.setPods(NAMESPACE, [
        pod('checkout-a', digestOf('hotfix')),
        pod('checkout-b', digestOf('hotfix')),
        pod('checkout-c', digestOf('1.1.0')),
      ]);
      await observe();
      expect(await releases.drift('production')).toMatchObject({
        status: 'unmanaged',
        observedDigest: digestOf('hotfix'),
      });
    });

    it('observes the pods of the annotated workload by its selector, and says what it could not find', async () => {
      api.addWorkload('StatefulSet', {
        namespace: NAMESPACE,
        name: 'checkout-db-writer',
        containers: [{ name: 'writer', image: `${URI}:1.0.0` }],
      });
      const { releases, observe } = await start({
        entity: checkoutService({
          'immutable-releases/kubernetes-workload':
            'statefulset/checkout-db-writer',
        }),
      });
      expect(
        (await releases.deployRelease({ uri: URI, version: '1.2.0' })).status,
      ).toBe('succeeded');
      const writer = (name: string, image: string, digest: string): Pod => ({
        metadata: { name, labels: { app: 'checkout-db-writer' } },
        spec: { containers: [{ name: 'writer', image }] },
        status: {
          phase: 'Running',
          containerStatuses: [
            { name: 'writer', imageID: `${image.split(':')[0]}@${digest}` },
          ],
        },
      });
      const drift = () => releases.drift('production');

      api.setPods(NAMESPACE, [
        writer('checkout-db-writer-0', `${URI}:1.2.0`, digestOf('1.2.0')),
      ]);
      await observe();
      expect(
        api.requests.filter(r => r.path.endsWith('/pods')).at(-1)?.query,
      ).toMatchObject({ labelSelector: 'app=checkout-db-writer' });
      expect(await drift()).toMatchObject({
        status: 'in-sync',
        observedDigest: digestOf('1.2.0'),
      });

      api.setPods(NAMESPACE, [
        writer('checkout-db-writer-0', 'ghcr.io/acme/other:3', digestOf('x')),
      ]);
      await observe();
      expect((await drift()).error?.message).toBe(
        `no running container of ${URI} in the pods of StatefulSet/checkout-db-writer in namespace ${NAMESPACE} of cluster test-cluster (images: ghcr.io/acme/other:3)`,
      );

      api.setPods(NAMESPACE, []);
      await observe();
      expect((await drift()).error?.message).toBe(
        `no pods of StatefulSet/checkout-db-writer in namespace ${NAMESPACE} of cluster test-cluster`,
      );
    });

    it('keeps a failure to list pods as the observation error, naming the cluster', async () => {
      addCheckout();
      const { releases, observe } = await start();
      await releases.deployRelease({ uri: URI, version: '1.1.0' });
      api.forbidden = true;

      await observe();

      const environments = await releases.environments();
      const { drift } = environments.environments.find(
        ({ name }) => name === 'production',
      )!;
      expect(drift.error?.message).toMatch(
        /^cluster test-cluster: GET \/api\/v1\/namespaces\/shop\/pods answered 403 \(Forbidden: /,
      );
      expect(JSON.stringify(environments)).not.toContain(TOKEN);
    });

    it.each([
      [
        { executor: { cluster: 'prod-eu' } },
        "immutableReleases.executors.k8s.cluster 'prod-eu' is not a cluster of kubernetes.clusterLocatorMethods (type: config); known clusters: test-cluster",
      ],
      [
        {
          kubernetes: clusterConfig('http://127.0.0.1:1', {
            serviceAccountToken: undefined,
          }),
        },
        "kubernetes.clusterLocatorMethods[0].clusters[0].serviceAccountToken is missing: cluster 'test-cluster' (used by immutableReleases.drift.kubernetes[0].cluster) needs a service account token",
      ],
      [
        { executor: { namespace: 'Shop_1' } },
        'immutableReleases.executors.k8s.namespace must be a namespace name (lower-case letters, digits and \'-\', at most 63), got "Shop_1"',
      ],
      [
        { executor: { timeout: 'soon' } },
        "immutableReleases.executors.k8s.timeout must be a duration such as { minutes: 5 } or '5m'",
      ],
      [
        { drift: { cluster: 'staging-us' } },
        "immutableReleases.drift.kubernetes[0].cluster 'staging-us' is not a cluster of kubernetes.clusterLocatorMethods (type: config); known clusters: test-cluster",
      ],
    ])(
      'refuses to start on a configuration mistake, naming the key (%#)',
      async (options, message) => {
        await expect(start(options)).rejects.toThrow(message);
      },
    );
  },
);
