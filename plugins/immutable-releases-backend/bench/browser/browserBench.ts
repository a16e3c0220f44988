/*
 * The browser benchmark (`yarn bench --only browser`): the production build
 * of the demo app in Chromium against the demo backend, on SQLite (default)
 * or PostgreSQL (--pg), with one entity of 100,000 releases and 10,000
 * deployments (× --scale). Measures navigation start → the Releases tab's
 * pipeline and first history page visible, and → a deployment's page
 * visible. See ../README.md.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  benchLog,
  BenchReport,
  createPostgresDatabase,
  createSqliteDatabase,
} from '@internal/test-utils';
import { analyze } from '../seed';
import { buildDemoApp } from './appBuild';
import { parseBrowserBenchOptions } from './browserOptions';
import { MEASURED_ENTITY, seedMeasuredEntity } from './browserSeed';
import { startDemoBackend } from './demoBackend';
import { measurePageLoads } from './measureLoads';
import { PageTimer } from './pageTimings';
import { startStaticAppServer } from './staticAppServer';

async function main() {
  // stdout carries only result lines: whatever else prints goes to stderr.
  console.log = console.error;
  console.info = console.error;
  const options = parseBrowserBenchOptions(process.argv.slice(2), process.env);
  const report = new BenchReport();
  if (!fs.existsSync(options.chromium)) {
    benchLog(
      `browser: not run: no Chromium at ${options.chromium} (install it, or set BENCH_CHROMIUM or --chromium)`,
    );
    report.finish();
    return;
  }
  for (const port of [options.appPort, options.backendPort]) {
    if (await isListening(port)) {
      throw new Error(
        `port ${port} on 127.0.0.1 is in use: choose others with --app-port and --backend-port`,
      );
    }
  }

  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'immutable-releases-browser-bench-'),
  );
  const database = options.postgresUrl
    ? await createPostgresDatabase(options.postgresUrl, options.keep)
    : createSqliteDatabase(options.keep);
  benchLog(`browser: ${database.describe}, scale ${options.scale}`);
  const stops: Array<() => Promise<void>> = [() => database.drop()];
  let completed = false;
  try {
    benchLog('building the demo app (production build)');
    const build = await buildDemoApp();
    report.metric('browser.build.seconds', build.seconds, 's');

    const appUrl = `http://127.0.0.1:${options.appPort}`;
    const backend = await startDemoBackend({
      dir,
      port: options.backendPort,
      appUrl,
      database: database.backendConfig,
      componentName: MEASURED_ENTITY.split('/')[1],
    });
    stops.unshift(() => backend.stop());
    benchLog(`demo backend started on ${backend.url}; seeding`);

    const knex = database.connectPlugin();
    stops.unshift(() => knex.destroy());
    const seeded = await seedMeasuredEntity(knex, options.scale, benchLog);
    await analyze(knex);
    report.metric(`seed.browser.${database.kind}.seconds`, seeded.seconds, 's');
    report.metric('seed.browser.releases', seeded.releases, 'releases');
    report.metric(
      'seed.browser.deployments',
      seeded.deployments,
      'deployments',
    );
    report.metric('seed.browser.events', seeded.events, 'events');
    await backend.catalogHas(MEASURED_ENTITY);

    const app = await startStaticAppServer({
      distDir: build.distDir,
      port: options.appPort,
      runtimeConfig: {
        app: { baseUrl: appUrl },
        backend: { baseUrl: backend.url },
      },
    });
    stops.unshift(() => app.stop());
    const timer = await PageTimer.start({
      chromium: options.chromium,
      appUrl: app.url,
      screenshotDir: dir,
    });
    stops.unshift(() => timer.stop());
    benchLog(`measuring ${options.rounds} cold loads of each page`);
    await measurePageLoads({
      timer,
      appUrl: app.url,
      seeded,
      rounds: options.rounds,
      report,
    });
    completed = true;
  } finally {
    for (const stop of stops) {
      await stop().catch(error => benchLog(`while stopping: ${error}`));
    }
    if (completed && !options.keep) {
      fs.rmSync(dir, { recursive: true, force: true });
    } else {
      benchLog(`the backend's log, configuration and screenshots: ${dir}`);
    }
  }
  report.finish();
}

function isListening(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

main().then(
  () => process.exit(0),
  error => {
    benchLog(String(error?.stack ?? error));
    process.exit(1);
  },
);
