/*
 * The Kubernetes drift sweep at fleet scale: one run of the drift source over
 * 5,000 entities (× scale) on one cluster, whose pods a local API server
 * serves, through the real backend plugin on SQLite or PostgreSQL; compared
 * with the bare cost of listing and parsing the same pods. Run by
 * `yarn bench` (path `drift-sweep`); see README.md beside this file.
 */
import { createHash } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  benchLog,
  BenchReport,
  CapturedScheduledTasks,
  createPostgresDatabase,
  createSqliteDatabase,
  formatMeasure,
} from '@internal/test-utils';
// The module is measured inside the real backend plugin it extends.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import immutableReleasesPlugin from 'backstage-plugin-immutable-releases-backend';
import immutableReleasesModuleKubernetes from '../src';
import { parseSweepOptions } from './sweepOptions';
import {
  FleetEntity,
  KUBERNETES_ID,
  NAMESPACE,
  startPodServer,
} from './podFleet';

const TOKEN = 'bench-service-account-token';
const TASK_ID = 'immutable-releases-observe-kubernetes-bench-production';
const USER = mockCredentials.user.header('user:default/bench');
/** The bound for 5,000 entities, in seconds. */
const SECONDS_PER_5000 = 5;
const SWEEPS = 3;
const REGISTRATION_CONCURRENCY = 16;

async function main() {
  console.log = console.error;
  console.info = console.error;
  const options = parseSweepOptions(process.argv.slice(2), process.env);
  const report = new BenchReport();
  const entities = fleetOf(options.entities);
  const database = options.postgresUrl
    ? await createPostgresDatabase(options.postgresUrl, options.keep)
    : createSqliteDatabase(options.keep);
  benchLog(`drift sweep: ${entities.length} entities on ${database.describe}`);
  const stops: Array<() => Promise<void>> = [() => database.drop()];
  try {
    const pods = await startPodServer(entities, TOKEN);
    stops.unshift(() => pods.stop());
    const knex = database.connect();
    stops.unshift(() => knex.destroy());
    const tasks = new CapturedScheduledTasks();
    const backend = await startTestBackend({
      features: [
        immutableReleasesPlugin,
        immutableReleasesModuleKubernetes,
        mockServices.database.factory({ knex }),
        catalogServiceMock.factory({ entities: entities.map(catalogEntity) }),
        mockServices.rootConfig.factory({
          data: configOf(pods.url),
        }),
        tasks.factory,
      ],
    });
    stops.unshift(() => backend.stop());
    const baseUrl = `http://127.0.0.1:${backend.server.port()}/api/immutable-releases`;

    const registering = performance.now();
    await registerReleases(baseUrl, entities);
    benchLog(
      `registered ${entities.length} releases in ${formatMeasure(
        (performance.now() - registering) / 1000,
      )} s`,
    );

    if (!tasks.ids().includes(TASK_ID)) {
      report.notMeasurable(
        'drift.sweep.seconds',
        `the Kubernetes module scheduled no task ${TASK_ID}`,
      );
      return;
    }
    const sweepSeconds: number[] = [];
    const bareSeconds: number[] = [];
    for (let run = 0; run < SWEEPS; run++) {
      bareSeconds.push(await listAndParsePods(pods.url, entities.length));
      const start = performance.now();
      await tasks.run(TASK_ID);
      sweepSeconds.push((performance.now() - start) / 1000);
    }
    const observations = await knex('observations')
      .where('source', 'kubernetes:bench:production')
      .count({ count: '*' });
    const stored = Number(observations[0].count);
    if (stored !== SWEEPS * entities.length) {
      report.notMeasurable(
        'drift.sweep.seconds',
        `the sweeps stored ${stored} observations, not ${
          SWEEPS * entities.length
        }: see the log`,
      );
      return;
    }

    const bare = median(bareSeconds);
    const unit = `s/${entities.length}`;
    report.metric('drift.sweep.pods', pods.pods, 'pods');
    report.metric(
      'drift.sweep.first.seconds',
      sweepSeconds[0],
      unit,
      bare / sweepSeconds[0],
    );
    const warm = median(sweepSeconds.slice(1));
    report.metric('drift.sweep.seconds', warm, unit, bare / warm);
    report.metric('drift.sweep.bare.seconds', bare, unit, 1);
    const slowest = Math.max(...sweepSeconds);
    // Proportional to the fleet, but at least a second: below a few hundred
    // entities the fixed costs (a pod list, a transaction) dominate.
    const limit = Math.max(1, (SECONDS_PER_5000 * entities.length) / 5000);
    report.target(
      'drift.sweep.seconds',
      slowest,
      `<=${formatMeasure(limit)}s`,
      slowest <= limit,
    );
  } finally {
    for (const stop of stops) {
      await stop().catch(error => benchLog(`while stopping: ${error}`));
    }
    report.finish();
  }
}

function fleetOf(count: number): FleetEntity[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `svc-${String(i).padStart(5, '0')}`;
    return {
      name,
      uri: `registry.bench.local/shop/${name}`,
      digest: digestOf(`${name}-1.0.0`),
      // One entity in ten is in the middle of a rollout.
      ...(i % 10 === 0 ? { rollingTo: digestOf(`${name}-1.1.0`) } : {}),
    };
  });
}

function digestOf(seed: string): string {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`;
}

function catalogEntity(entity: FleetEntity) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: entity.name,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-namespace': NAMESPACE,
        [KUBERNETES_ID]: entity.name,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'group:shop' },
  };
}

function configOf(clusterUrl: string) {
  return {
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: 'bench',
              url: clusterUrl,
              authProvider: 'serviceAccount',
              serviceAccountToken: TOKEN,
            },
          ],
        },
      ],
    },
    immutableReleases: {
      executors: {
        k8s: { type: 'kubernetes', cluster: 'bench' },
      },
      pipelines: {
        default: {
          environments: [{ name: 'production', executor: 'k8s' }],
        },
      },
      drift: {
        kubernetes: [
          {
            environment: 'production',
            cluster: 'bench',
            frequency: { hours: 24 },
          },
        ],
      },
    },
  };
}

/** One release per entity, registered as CI would, `REGISTRATION_CONCURRENCY` at a time. */
async function registerReleases(baseUrl: string, entities: FleetEntity[]) {
  let next = 0;
  const worker = async () => {
    while (next < entities.length) {
      const entity = entities[next++];
      const response = await fetch(`${baseUrl}/v1/releases`, {
        method: 'POST',
        headers: { authorization: USER, 'content-type': 'application/json' },
        body: JSON.stringify({
          entityRef: `component:default/${entity.name}`,
          version: '1.0.0',
          artifact: {
            type: 'oci-image',
            uri: entity.uri,
            digest: entity.digest,
          },
        }),
      });
      if (response.status !== 201) {
        throw new Error(
          `registering ${entity.name} answered ${
            response.status
          }: ${await response.text()}`,
        );
      }
      await response.arrayBuffer();
    }
  };
  await Promise.all(
    Array.from({ length: REGISTRATION_CONCURRENCY }, () => worker()),
  );
}

/**
 * The bare side: what any sweep must do at least, listing the same pods with
 * the same selector and pages, and parsing them; in seconds.
 */
async function listAndParsePods(
  clusterUrl: string,
  entityCount: number,
): Promise<number> {
  const start = performance.now();
  let continueToken = '';
  let pods = 0;
  do {
    const url = new URL(`${clusterUrl}/api/v1/namespaces/${NAMESPACE}/pods`);
    url.searchParams.set('labelSelector', KUBERNETES_ID);
    url.searchParams.set('limit', '500');
    if (continueToken) {
      url.searchParams.set('continue', continueToken);
    }
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const page = JSON.parse(await response.text());
    pods += page.items.length;
    continueToken = page.metadata.continue;
  } while (continueToken);
  if (pods < entityCount) {
    throw new Error(`the pod server listed ${pods} pods`);
  }
  return (performance.now() - start) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

main().then(
  () => process.exit(0),
  error => {
    benchLog(String(error?.stack ?? error));
    process.exit(1);
  },
);
