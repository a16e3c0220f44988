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
  EnvironmentsResponse,
  Page,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { TERMINAL_DEPLOYMENT_STATUSES } from 'backstage-plugin-immutable-releases-common';
// The module is tested inside the real backend plugin it extends.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import immutableReleasesPlugin from 'backstage-plugin-immutable-releases-backend';
import request from 'supertest';
import { KubernetesApiServer } from './__testUtils__/KubernetesApiServer';
import { Pod } from './kubernetesTypes';
import immutableReleasesModuleKubernetes from './index';

jest.setTimeout(60_000);

const BASE = '/api/immutable-releases';
const ENTITY_PATH = `${BASE}/v1/entities/component/default/checkout`;
const ALICE = mockCredentials.user.header('user:default/alice');
const TOKEN = 'service-account-token-do-not-leak';
const URI = 'ghcr.io/acme/checkout';
const NAMESPACE = 'shop';
const SIDECAR = 'ghcr.io/acme/log-shipper:2.1';

const databases = createTestDatabases();

function digestOf(seed: string): string {
  return `sha256:${Buffer.from(seed)
    .toString('hex')
    .padEnd(64, '0')
    .slice(0, 64)}`;
}

function checkoutEntity(annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'checkout',
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-namespace': NAMESPACE,
        ...annotations,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
  };
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
    let api: KubernetesApiServer;
    const backends: TestBackend[] = [];

    beforeEach(async () => {
      api = await KubernetesApiServer.start(TOKEN);
    });
    afterEach(async () => {
      for (const backend of backends.splice(0)) {
        await backend.stop();
      }
      await api.stop();
    });

    async function start(
      options: {
        executor?: JsonObject;
        drift?: JsonObject;
        kubernetes?: JsonObject;
        entity?: ReturnType<typeof checkoutEntity>;
      } = {},
    ) {
      const tasks = new Map<string, (signal: AbortSignal) => Promise<void>>();
      const scheduler = mockServices.scheduler.mock({
        async scheduleTask(task) {
          tasks.set(task.id, task.fn as (s: AbortSignal) => Promise<void>);
        },
      });
      const backend = await startTestBackend({
        features: [
          immutableReleasesPlugin,
          immutableReleasesModuleKubernetes,
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          catalogServiceMock.factory({
            entities: [options.entity ?? checkoutEntity()],
          }),
          mockServices.rootConfig.factory({
            data: {
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
                      {
                        name: 'production',
                        executor: 'k8s',
                        autoPromote: true,
                      },
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
          }),
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
          scheduler.factory,
        ],
      });
      backends.push(backend);
      return { server: backend.server, tasks };
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

    /** Waits for the release's automatic promotion to production to end. */
    async function finishedDeployment(
      server: TestBackend['server'],
      release: Release,
    ): Promise<Deployment> {
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
          throw new Error(`deployment of ${release.version} did not finish`);
        }
        await new Promise(resolve => setTimeout(resolve, 25));
      }
    }

    function lastMessage(deployment: Deployment): string {
      return deployment.transitions[deployment.transitions.length - 1].message;
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
      const { server } = await start();

      const release = await register(server, '1.1.0');
      const deployment = await finishedDeployment(server, release);

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
      const { server } = await start({
        entity: checkoutEntity({
          'immutable-releases/kubernetes-workload':
            'statefulset/checkout-db-writer',
        }),
      });

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.2.0'),
      );

      expect(deployment.status).toBe('succeeded');
      expect(
        api.workload('StatefulSet', NAMESPACE, 'checkout-db-writer').spec
          .template.spec.containers[0].image,
      ).toBe(`${URI}@${digestOf('1.2.0')}`);
    });

    it('fails a rollout that does not complete within the timeout, with its status', async () => {
      addCheckout({ rollout: 'stalls' });
      const { server } = await start({
        executor: { timeout: { milliseconds: 600 } },
      });

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.1.0'),
      );

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        'rollout did not complete within 600 ms: Deployment/checkout: 1 of 3 replicas updated (3 desired, 1 updated, 3 available, 4 total)',
      );
    });

    it('fails at once when the deployment reports ProgressDeadlineExceeded', async () => {
      addCheckout({ rollout: 'deadline' });
      const { server } = await start();

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.1.0'),
      );

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toMatch(
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
      const { server } = await start();

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.1.0'),
      );

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `no container runs ${URI} in Deployment/checkout (images: ghcr.io/acme/checkout-legacy:9, ${SIDECAR})`,
      );
      expect(api.requests.filter(r => r.method === 'PATCH')).toEqual([]);
    });

    it('fails naming the cluster, without the token, when the API server refuses', async () => {
      addCheckout();
      api.forbidden = true;
      const { server } = await start();

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.1.0'),
      );

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toMatch(
        /^cluster test-cluster: GET \/apis\/apps\/v1\/namespaces\/shop\/\w+ answered 403 \(Forbidden: /,
      );
      expect(JSON.stringify(deployment)).not.toContain(TOKEN);
    });

    it('observes the digest most pods run, with one pod list per namespace', async () => {
      addCheckout();
      const { server, tasks } = await start();
      const release = await register(server, '1.1.0');
      expect((await finishedDeployment(server, release)).status).toBe(
        'succeeded',
      );

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

      await tasks.get(
        'immutable-releases-observe-kubernetes-test-cluster-production',
      )!(new AbortController().signal);

      expect(podLists()).toEqual([
        expect.objectContaining({
          path: `/api/v1/namespaces/${NAMESPACE}/pods`,
          query: expect.objectContaining({
            labelSelector: 'backstage.io/kubernetes-id in (checkout)',
          }),
        }),
      ]);
      const environments = await request(server)
        .get(`${ENTITY_PATH}/environments`)
        .set('Authorization', ALICE);
      const production = (environments.body as EnvironmentsResponse)
        .environments[0];
      expect(production.drift).toMatchObject({
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
      await tasks.get(
        'immutable-releases-observe-kubernetes-test-cluster-production',
      )!(new AbortController().signal);
      const after = await request(server)
        .get(`${ENTITY_PATH}/environments`)
        .set('Authorization', ALICE);
      expect(
        (after.body as EnvironmentsResponse).environments[0].drift,
      ).toMatchObject({
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
      const { server, tasks } = await start({
        entity: checkoutEntity({
          'immutable-releases/kubernetes-workload':
            'statefulset/checkout-db-writer',
        }),
      });
      const release = await register(server, '1.2.0');
      expect((await finishedDeployment(server, release)).status).toBe(
        'succeeded',
      );
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
      const observe = () =>
        tasks.get(
          'immutable-releases-observe-kubernetes-test-cluster-production',
        )!(new AbortController().signal);
      const drift = async () =>
        (
          (
            await request(server)
              .get(`${ENTITY_PATH}/environments`)
              .set('Authorization', ALICE)
          ).body as EnvironmentsResponse
        ).environments[0].drift;

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
      const { server, tasks } = await start();
      await finishedDeployment(server, await register(server, '1.1.0'));
      api.forbidden = true;

      await tasks.get(
        'immutable-releases-observe-kubernetes-test-cluster-production',
      )!(new AbortController().signal);

      const environments = await request(server)
        .get(`${ENTITY_PATH}/environments`)
        .set('Authorization', ALICE);
      const { drift } = (environments.body as EnvironmentsResponse)
        .environments[0];
      expect(drift.error?.message).toMatch(
        /^cluster test-cluster: GET \/api\/v1\/namespaces\/shop\/pods answered 403 \(Forbidden: /,
      );
      expect(JSON.stringify(environments.body)).not.toContain(TOKEN);
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
