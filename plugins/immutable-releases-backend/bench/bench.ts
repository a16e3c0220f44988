/*
 * `yarn bench`: throughput and latency of the plugin's core paths through a
 * real Backstage backend, each with its ratio to a bare node:http + knex
 * server doing the same database work in the same run, on SQLite (default)
 * or PostgreSQL (--pg / BENCH_POSTGRES_URL). See README.md beside this file.
 */
import {
  benchLog,
  BenchReport,
  createPostgresDatabase,
  createSqliteDatabase,
  formatMeasure,
} from '@internal/test-utils';
import { startBareServer } from './bareServer';
import { executorCalls, startBenchBackend } from './benchBackend';
import { Context } from './measure';
import { APPROVER, fleetEntityName, seedFleet } from './fleetSeed';
import { dataSizes, parseOptions, PATHS } from './options';
import { CATALOG_PAGE_SIZE } from './peer';
import { paths } from './paths';
import { now } from './report';
import { analyze, ENTITY, seed } from './seed';
import { STALL_MS, StallMonitor } from './stallMonitor';
import { TimeShareRecorder } from './timeShares';

async function main() {
  // stdout carries only result lines: whatever else prints goes to stderr.
  console.log = console.error;
  console.info = console.error;
  const options = parseOptions(process.argv.slice(2), process.env);
  const report = new BenchReport();
  const stalls = StallMonitor.start();
  const timeShares = TimeShareRecorder.install();
  const database = options.postgresUrl
    ? await createPostgresDatabase(options.postgresUrl, options.keep)
    : createSqliteDatabase(options.keep);
  benchLog(`${database.describe}, scale ${options.scale}`);
  const stops: Array<() => Promise<void>> = [() => database.drop()];
  try {
    const runs = (path: (typeof PATHS)[number]) =>
      !options.only || options.only.has(path);
    // The fleet's entities are in the catalog only when measured: ingesting
    // 10,000 entities takes the catalog minutes.
    const fleetSize =
      runs('fleet') || runs('approvals')
        ? dataSizes(options.scale).fleetEntities
        : 0;
    const fleetNames = Array.from({ length: fleetSize }, (_, i) =>
      fleetEntityName(i),
    );
    // The catalog's page of components (a yardstick of the paged reads)
    // holds a whole page: the fleet's components, or as many others.
    const pageNames = Array.from(
      { length: Math.max(0, CATALOG_PAGE_SIZE - fleetNames.length) },
      (_, i) => `bench-catalog-page-${String(i).padStart(2, '0')}`,
    );
    const backend = await startBenchBackend({
      database: database.backendConfig,
      catalogEntityNames: [
        ...fleetNames,
        ...pageNames,
        ...[ENTITY.large, ENTITY.small, ENTITY.register].map(
          ref => ref.split('/')[1],
        ),
      ],
      approver: APPROVER,
    });
    stops.unshift(() => backend.stop());
    const knex = database.connectPlugin();
    stops.unshift(() => knex.destroy());
    benchLog('backend started; seeding through the stores');
    const seeded = await seed(knex, options.scale, benchLog);
    report.metric(`seed.${database.kind}.seconds`, seeded.seconds, 's');
    report.metric('seed.releases', seeded.releases, 'releases');
    report.metric('seed.large.releases', seeded.largeReleases, 'releases');
    report.metric('seed.small.releases', seeded.smallReleases, 'releases');
    report.metric('seed.large.deployments', seeded.deployments, 'deployments');
    report.metric('seed.large.events', seeded.events, 'events');
    report.metric(
      'seed.throughput',
      seeded.releases / seeded.seconds,
      'releases/s',
    );
    const fleet = await seedFleet(knex, fleetSize, benchLog);
    await backend.catalogIngested();
    benchLog('the catalog holds every entity');
    report.metric('seed.fleet.entities', fleetSize, 'entities');
    report.metric('seed.fleet.pending', fleet.pending, 'deployments');
    await analyze(knex);
    benchLog('analyzed the tables');
    const bare = await startBareServer(knex, executorCalls);
    stops.unshift(() => bare.stop());
    const ctx: Context = {
      options,
      database,
      knex,
      backend,
      pluginUrl: `${backend.baseUrl}/api/immutable-releases`,
      bareUrl: bare.baseUrl,
      seeded,
      fleet,
      report,
      stalls,
      timeShares,
    };
    // Reads first, on the seeded data; then the paths that write.
    const order: Array<(typeof PATHS)[number]> = [
      'history',
      'environments',
      'events',
      'fleet',
      'approvals',
      'register',
      'promotion',
      'observations',
    ];
    for (const path of order) {
      if (runs(path)) {
        benchLog(`measuring ${path}`);
        await paths[path](ctx);
        // Garbage left by a path slows the ones after it: how much there is.
        const memory = process.memoryUsage();
        benchLog(
          `after ${path}: heap ${formatMeasure(
            memory.heapUsed / 1e6,
          )} MB used of ${formatMeasure(memory.heapTotal / 1e6)} MB`,
        );
      }
    }
  } finally {
    for (const stop of stops) {
      await stop().catch(error => benchLog(`while stopping: ${error}`));
    }
  }
  await reportStalls(report, stalls);
  report.finish();
}

/**
 * How long the machine stood still during the run. A virtual machine whose
 * host pauses it holds up whichever requests are in flight, and a p95 then
 * measures the pauses rather than the code: the `*.unstalled` lines leave
 * those requests (or that time) out, on both sides.
 */
async function reportStalls(report: BenchReport, monitor: StallMonitor) {
  const stalls = await monitor.stalls();
  await monitor.stop();
  const runSeconds = (now() - monitor.startedAt) / 1000;
  const stalledSeconds =
    stalls.reduce((sum, [start, end]) => sum + end - start, 0) / 1000;
  report.metric('machine.stalls', stalls.length, `stalls>=${STALL_MS}ms`);
  report.metric(
    'machine.stalled.seconds',
    stalledSeconds,
    `s/${formatMeasure(runSeconds)}s`,
  );
  if (stalledSeconds > runSeconds / 100) {
    benchLog(
      `the machine stood still for ${formatMeasure(stalledSeconds)} s of the ` +
        `${formatMeasure(runSeconds)} s run (${stalls.length} pauses of ` +
        `${STALL_MS} ms or more): latencies and throughputs include them; ` +
        'the *.unstalled lines leave them out',
    );
  }
}

main().then(
  () => process.exit(0),
  error => {
    benchLog(String(error?.stack ?? error));
    process.exit(1);
  },
);
