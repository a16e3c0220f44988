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
import {
  ArgoCdApiServer,
  SyncBehaviour,
} from './__testUtils__/ArgoCdApiServer';
import immutableReleasesModuleArgoCd from './index';

jest.setTimeout(60_000);

const BASE = '/api/immutable-releases';
const ENTITY_PATH = `${BASE}/v1/entities/component/default/checkout`;
const ALICE = mockCredentials.user.header('user:default/alice');
const TOKEN = 'argocd-token-do-not-leak';
const URI = 'ghcr.io/acme/checkout';
const SIDECAR = 'ghcr.io/acme/log-shipper:2.1';
const APP = 'checkout-production';
const DRIFT_TASK = 'immutable-releases-observe-argocd-127.0.0.1';

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
  metadata: { name: 'checkout', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
  },
};

describe.each(databases.eachSupportedId())(
  'Argo CD module in the immutable-releases backend on %p',
  databaseId => {
    let api: ArgoCdApiServer;
    const backends: TestBackend[] = [];

    beforeEach(async () => {
      api = await ArgoCdApiServer.start(TOKEN);
    });
    afterEach(async () => {
      for (const backend of backends.splice(0)) {
        await backend.stop();
      }
      await api.stop();
    });

    async function start(
      options: { executor?: JsonObject; drift?: JsonObject } = {},
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
          immutableReleasesModuleArgoCd,
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          catalogServiceMock.factory({ entities: [checkoutEntity] }),
          mockServices.rootConfig.factory({
            data: {
              immutableReleases: {
                executors: {
                  argo: {
                    type: 'argocd',
                    baseUrl: api.url,
                    token: TOKEN,
                    application: '{{ entity.metadata.name }}-{{ environment }}',
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
                        executor: 'argo',
                        autoPromote: true,
                      },
                    ],
                  },
                },
                drift: {
                  argocd: [
                    {
                      environment: 'production',
                      baseUrl: api.url,
                      token: TOKEN,
                      application: '{{ entity.metadata.name }}-production',
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
      const observe = () => {
        const [id, task] = [...tasks].find(([taskId]) =>
          taskId.startsWith(DRIFT_TASK),
        )!;
        expect(id).toMatch(/production$/);
        return task(new AbortController().signal);
      };
      return { server: backend.server, observe };
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

    async function drift(server: TestBackend['server']) {
      const response = await request(server)
        .get(`${ENTITY_PATH}/environments`)
        .set('Authorization', ALICE);
      expect(response.status).toBe(200);
      return (response.body as EnvironmentsResponse).environments[0].drift;
    }

    function addKustomizeApp(behaviour?: SyncBehaviour) {
      api.addApplication({
        name: APP,
        source: {
          repoURL: 'https://git.example.com/acme/deploy.git',
          path: 'checkout/production',
          kustomize: { images: [SIDECAR, `${URI}:1.0.0`] },
        },
        manifestImages: [`${URI}:1.0.0`, SIDECAR],
        behaviour,
      });
    }

    it('sets the Kustomize image to uri@digest, syncs, and succeeds once Synced and Healthy', async () => {
      addKustomizeApp();
      const { server } = await start();
      const ref = `${URI}@${digestOf('1.1.0')}`;

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.1.0'),
      );

      expect(deployment.status).toBe('succeeded');
      expect(api.application(APP).spec.source?.kustomize?.images).toEqual([
        SIDECAR,
        `${URI}=${ref}`,
      ]);
      expect(deployment.executor).toMatchObject({
        name: 'argo',
        type: 'argocd',
        url: `${api.url}/applications/${APP}`,
        output: `application ${APP}\nset kustomize image ${URI}=${ref}\nsync Synced, health Healthy, operation Succeeded`,
      });
      const calls = api.requests.map(r => `${r.method} ${r.path}`);
      expect(calls.slice(0, 4)).toEqual([
        `GET /api/v1/applications/${APP}`,
        `PATCH /api/v1/applications/${APP}`,
        `POST /api/v1/applications/${APP}/sync`,
        `GET /api/v1/applications/${APP}`,
      ]);
      expect(api.requests[1].body).toEqual({
        name: APP,
        patchType: 'merge',
        patch: JSON.stringify({
          spec: {
            source: { kustomize: { images: [SIDECAR, `${URI}=${ref}`] } },
          },
        }),
      });
      expect(
        api.requests.every(r => r.authorization === `Bearer ${TOKEN}`),
      ).toBe(true);
    });

    it('waits for the automated sync the patch started when Argo CD refuses a second one', async () => {
      api.addApplication({
        name: APP,
        source: { path: 'checkout', kustomize: { images: [`${URI}:1.0.0`] } },
        manifestImages: [`${URI}:1.0.0`],
        automated: true,
      });
      const { server } = await start();

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.1.0'),
      );

      expect(deployment.status).toBe('succeeded');
      expect(api.requests.filter(r => r.method === 'POST')).toHaveLength(1);
      expect(api.application(APP).status?.summary?.images).toEqual([
        `${URI}@${digestOf('1.1.0')}`,
      ]);
    });

    it('sets the Helm parameter named by helmImageParameter, other parameters untouched', async () => {
      api.addApplication({
        name: APP,
        source: {
          repoURL: 'https://charts.example.com',
          chart: 'checkout',
          targetRevision: '4.2.0',
          helm: {
            parameters: [
              { name: 'replicaCount', value: '3' },
              { name: 'image.ref', value: `${URI}:1.0.0` },
            ],
          },
        },
        manifestImages: [`${URI}:1.0.0`],
      });
      const { server } = await start({
        executor: { helmImageParameter: 'image.ref' },
      });

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.2.0'),
      );

      expect(deployment.status).toBe('succeeded');
      expect(api.application(APP).spec.source?.helm?.parameters).toEqual([
        { name: 'replicaCount', value: '3' },
        { name: 'image.ref', value: `${URI}@${digestOf('1.2.0')}` },
      ]);
    });

    it('fails when the application turns Degraded after the sync, with its message', async () => {
      addKustomizeApp('degraded');
      const { server } = await start();

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.1.0'),
      );

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `Argo CD application ${APP}: application is Degraded: Deployment/checkout: Deployment "checkout" exceeded its progress deadline`,
      );
      expect(deployment.executor?.url).toBe(`${api.url}/applications/${APP}`);
    });

    it("fails when the sync operation fails, with Argo CD's message", async () => {
      addKustomizeApp('fails');
      const { server } = await start();

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.1.0'),
      );

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `Argo CD application ${APP}: sync operation Failed: one or more objects failed to apply, reason: Deployment.apps "checkout" is invalid: spec.template.spec.containers[0].image: Invalid value`,
      );
    });

    it('fails a sync that does not finish within the timeout, with where it stands', async () => {
      addKustomizeApp('stalls');
      const { server } = await start({
        executor: { timeout: { milliseconds: 600 } },
      });

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.1.0'),
      );

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `Argo CD application ${APP} was not Synced and Healthy within 600 ms: sync OutOfSync, health Progressing, operation Running`,
      );
    });

    it('fails naming the server and the answer, without the token, when Argo CD refuses it', async () => {
      addKustomizeApp();
      const wrongToken = 'wrong-token-do-not-leak';
      const { server } = await start({ executor: { token: wrongToken } });

      const deployment = await finishedDeployment(
        server,
        await register(server, '1.1.0'),
      );

      expect(deployment.status).toBe('failed');
      expect(lastMessage(deployment)).toBe(
        `Argo CD ${
          new URL(api.url).host
        }: GET /api/v1/applications/${APP} answered 401 (invalid session: token signature is invalid)`,
      );
      expect(JSON.stringify(deployment)).not.toContain(wrongToken);
      expect(api.requests.filter(r => r.method !== 'GET')).toEqual([]);
    });

    it('observes the digest Argo CD reports in summary.images: in sync, then unmanaged', async () => {
      addKustomizeApp();
      const { server, observe } = await start();
      const release = await register(server, '1.1.0');
      expect((await finishedDeployment(server, release)).status).toBe(
        'succeeded',
      );
      expect(api.application(APP).status?.summary?.images).toEqual([
        `${URI}@${digestOf('1.1.0')}`,
        SIDECAR,
      ]);

      await observe();
      expect(await drift(server)).toMatchObject({
        status: 'in-sync',
        observedDigest: digestOf('1.1.0'),
        observedSource: expect.stringMatching(
          /^argocd:127\.0\.0\.1:\d+:production$/,
        ),
      });

      // Someone pointed the application at an unregistered build.
      api.setSummaryImages(APP, [`${URI}@${digestOf('hotfix')}`, SIDECAR]);
      await observe();
      expect(await drift(server)).toMatchObject({
        status: 'unmanaged',
        observedDigest: digestOf('hotfix'),
      });

      api.setSummaryImages(APP, [SIDECAR]);
      await observe();
      expect((await drift(server)).error?.message).toBe(
        `Argo CD application ${APP} reports no image of ${URI} (images: ${SIDECAR})`,
      );
    });

    it.each([
      [
        { executor: { token: undefined } },
        'immutableReleases.executors.argo.token must be a non-empty string',
      ],
      [
        { drift: { baseUrl: 'argocd.example.com' } },
        'immutableReleases.drift.argocd[0].baseUrl must be the http(s) URL of the Argo CD server',
      ],
      [
        { executor: { application: '{{ entity.spec.owner }}-prod' } },
        'immutableReleases.executors.argo.application: unknown placeholder {{ entity.spec.owner }}',
      ],
      [
        { executor: { timeout: 'soon' } },
        "immutableReleases.executors.argo.timeout must be a duration such as { minutes: 5 } or '5m'",
      ],
      [
        { executor: { namespace: 'argocd' } },
        'immutableReleases.executors.argo.namespace is not a setting of the argocd executor',
      ],
      [
        { drift: { cluster: 'prod' } },
        'immutableReleases.drift.argocd[0].cluster is not a setting of an argocd drift entry',
      ],
    ])(
      'refuses to start on a configuration mistake, naming the key (%#)',
      async (options, message) => {
        await expect(start(options)).rejects.toThrow(message);
      },
    );
  },
);

describe('Argo CD module with nothing configured', () => {
  it('starts beside the backend plugin and schedules nothing', async () => {
    const taskIds: string[] = [];
    const scheduler = mockServices.scheduler.mock({
      async scheduleTask(task) {
        taskIds.push(task.id);
      },
    });
    const backend = await startTestBackend({
      features: [
        immutableReleasesPlugin,
        immutableReleasesModuleArgoCd,
        catalogServiceMock.factory({ entities: [checkoutEntity] }),
        mockServices.rootConfig.factory({ data: {} }),
        scheduler.factory,
      ],
    });

    expect(taskIds.filter(id => id.includes('argocd'))).toEqual([]);
    await backend.stop();
  });
});
