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
  startReleasesTestBackend,
} from '@internal/test-utils';
import {
  ArgoCdApiServer,
  SyncBehaviour,
} from './__testUtils__/ArgoCdApiServer';
import immutableReleasesModuleArgoCd from './index';

jest.setTimeout(60_000);

const TOKEN = 'argocd-token-do-not-leak';
const URI = 'ghcr.io/acme/checkout';
const SIDECAR = 'ghcr.io/acme/log-shipper:2.1';
const APP = 'checkout-production';
const DRIFT_TASK = 'immutable-releases-observe-argocd-127.0.0.1';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'Argo CD module in the immutable-releases backend on %p',
  databaseId => {
    const startBackend = releasesTestBackendStarter(databases, databaseId);
    let api: ArgoCdApiServer;

    beforeEach(async () => {
      api = await ArgoCdApiServer.start(TOKEN);
    });
    afterEach(async () => {
      await api.stop();
    });

    async function start(
      options: { executor?: JsonObject; drift?: JsonObject } = {},
    ) {
      const tasks = new CapturedScheduledTasks();
      const backend = await startBackend({
        entities: [checkoutEntity()],
        features: [immutableReleasesModuleArgoCd],
        anonymousWithoutCredentials: true,
        scheduledTasks: tasks,
        config: {
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
                  { name: 'production', executor: 'argo', autoPromote: true },
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
      });
      const observe = () => {
        const id = tasks.ids().find(taskId => taskId.startsWith(DRIFT_TASK));
        expect(id).toMatch(/production$/);
        return tasks.run(id!);
      };
      return { releases: new ReleasesTestClient(backend.baseUrl), observe };
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
      const { releases } = await start();
      const ref = `${URI}@${digestOf('1.1.0')}`;

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

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
      const { releases } = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

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
      const { releases } = await start({
        executor: { helmImageParameter: 'image.ref' },
      });

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.2.0',
      });

      expect(deployment.status).toBe('succeeded');
      expect(api.application(APP).spec.source?.helm?.parameters).toEqual([
        { name: 'replicaCount', value: '3' },
        { name: 'image.ref', value: `${URI}@${digestOf('1.2.0')}` },
      ]);
    });

    it('fails when the application turns Degraded after the sync, with its message', async () => {
      addKustomizeApp('degraded');
      const { releases } = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `Argo CD application ${APP}: application is Degraded: Deployment/checkout: Deployment "checkout" exceeded its progress deadline`,
      );
      expect(deployment.executor?.url).toBe(`${api.url}/applications/${APP}`);
    });

    it("fails when the sync operation fails, with Argo CD's message", async () => {
      addKustomizeApp('fails');
      const { releases } = await start();

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `Argo CD application ${APP}: sync operation Failed: one or more objects failed to apply, reason: Deployment.apps "checkout" is invalid: spec.template.spec.containers[0].image: Invalid value`,
      );
    });

    it('fails a sync that does not finish within the timeout, with where it stands', async () => {
      addKustomizeApp('stalls');
      const { releases } = await start({
        executor: { timeout: { milliseconds: 600 } },
      });

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `Argo CD application ${APP} was not Synced and Healthy within 600 ms: sync OutOfSync, health Progressing, operation Running`,
      );
    });

    it("shows the Application's link and its sync status on the deployment while the sync runs", async () => {
      addKustomizeApp('stalls');
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
            name: 'argo',
            type: 'argocd',
            url: `${api.url}/applications/${APP}`,
            output: `application ${APP}\nset kustomize image ${URI}=${URI}@${digestOf(
              '1.1.0',
            )}\nsync OutOfSync, health Progressing, operation Running`,
          },
        });
      });
      expect((await releases.finishedDeploymentOf(release)).status).toBe(
        'failed',
      );
    });

    it('fails naming the server and the answer, without the token, when Argo CD refuses it', async () => {
      addKustomizeApp();
      const wrongToken = 'wrong-token-do-not-leak';
      const { releases } = await start({ executor: { token: wrongToken } });

      const deployment = await releases.deployRelease({
        uri: URI,
        version: '1.1.0',
      });

      expect(deployment.status).toBe('failed');
      expect(lastTransitionMessage(deployment)).toBe(
        `Argo CD ${
          new URL(api.url).host
        }: GET /api/v1/applications/${APP} answered 401 (invalid session: token signature is invalid)`,
      );
      expect(JSON.stringify(deployment)).not.toContain(wrongToken);
      expect(api.requests.filter(r => r.method !== 'GET')).toEqual([]);
    });

    it('observes the digest Argo CD reports in summary.images: in sync, then unmanaged', async () => {
      addKustomizeApp();
      const { releases, observe } = await start();
      expect(
        (await releases.deployRelease({ uri: URI, version: '1.1.0' })).status,
      ).toBe('succeeded');
      expect(api.application(APP).status?.summary?.images).toEqual([
        `${URI}@${digestOf('1.1.0')}`,
        SIDECAR,
      ]);

      await observe();
      expect(await releases.drift('production')).toMatchObject({
        status: 'in-sync',
        observedDigest: digestOf('1.1.0'),
        observedSource: expect.stringMatching(
          /^argocd:127\.0\.0\.1:\d+:production$/,
        ),
      });

      // Someone pointed the application at an unregistered build.
      api.setSummaryImages(APP, [`${URI}@${digestOf('hotfix')}`, SIDECAR]);
      await observe();
      expect(await releases.drift('production')).toMatchObject({
        status: 'unmanaged',
        observedDigest: digestOf('hotfix'),
      });

      api.setSummaryImages(APP, [SIDECAR]);
      await observe();
      expect((await releases.drift('production')).error?.message).toBe(
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
    const tasks = new CapturedScheduledTasks();
    const backend = await startReleasesTestBackend({
      databases,
      databaseId: 'SQLITE_3',
      entities: [checkoutEntity()],
      features: [immutableReleasesModuleArgoCd],
      scheduledTasks: tasks,
    });

    expect(tasks.ids().filter(id => id.includes('argocd'))).toEqual([]);
    await backend.stop();
  });
});
