#!/usr/bin/env node
// @ts-check
/*
 * `yarn start`: the demo portal. Starts, side by side,
 *   - the backend on :7007 (scripts/start-backend.js: app-config.yaml and
 *     app-config.demo.yaml, then any
 *     `--config FILE` given on the command line),
 *   - the frontend (packages/app) on :3000 with the same configuration,
 *   - the demo fleet server (examples/deploy/fleet-server.js) when it exists,
 * prefixes their output with their name, and each time the backend starts
 * runs the seed (examples/seed/seed.js), which waits for the backend and the
 * catalog and records demo history through the REST API. The database is in
 * memory, so every start of the backend (also the restarts of
 * `backstage-cli package start` when a source file changes) begins empty.
 * `[start] demo ready` is printed once both servers answer and the first
 * seed has finished (scripts/e2e.sh waits for that line).
 *
 * The demo fleet's state (.state/deployments, or under
 * IMMUTABLE_RELEASES_DEMO_STATE_DIR) is cleared first: the database starts
 * empty, so nothing has been deployed yet.
 *
 * Ctrl-C or SIGTERM stops every child (their whole process groups); when one
 * long-running child dies, the others are stopped and this exits non-zero.
 *
 * Environment:
 *   DEMO_SEED=0        start without seeding
 *   DEMO_BACKEND_URL   where to wait for the backend (default http://localhost:7007)
 *   DEMO_APP_URL       where to wait for the frontend (default http://localhost:3000);
 *                      both only matter with a --config that moves them
 *   DEMO_FLEET_PORT    the demo fleet server's port (default 7070)
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const invokedFrom = process.env.INIT_CWD || process.cwd();
// Where the configuration puts them (DEMO_* when another --config moves them).
const backendUrl = process.env.DEMO_BACKEND_URL || 'http://localhost:7007';
const frontendUrl = process.env.DEMO_APP_URL || 'http://localhost:3000';

/** `--config FILE` arguments, resolved from where yarn was run. */
const extraConfigFiles = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const match = /^--config(?:=(.*))?$/.exec(args[i]);
  if (!match) {
    console.error(`unknown argument ${args[i]} (only --config FILE)`);
    process.exit(2);
  }
  const file = match[1] ?? args[++i];
  if (!file) {
    console.error('--config needs a file');
    process.exit(2);
  }
  extraConfigFiles.push(path.resolve(invokedFrom, file));
}
const configArgs = [
  path.join(root, 'app-config.yaml'),
  path.join(root, 'app-config.demo.yaml'),
  ...extraConfigFiles,
].flatMap(file => ['--config', file]);

const colors = { backend: 36, app: 35, fleet: 33, seed: 32, start: 1 };

/** Writes each complete line of a stream with a coloured `[name]` prefix. */
function prefixLines(
  /** @type {NodeJS.ReadableStream} */ stream,
  /** @type {keyof typeof colors} */ name,
  /** @type {NodeJS.WritableStream} */ out,
  /** @type {((line: string) => void) | undefined} */ onLine,
) {
  const prefix = process.stdout.isTTY
    ? `\x1b[${colors[name]}m[${name}]\x1b[0m `
    : `[${name}] `;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', chunk => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      out.write(`${prefix}${line}\n`);
      onLine?.(line);
    }
  });
  stream.on('end', () => {
    if (buffered) out.write(`${prefix}${buffered}\n`);
  });
}

function log(/** @type {string} */ message) {
  process.stdout.write(
    `${
      process.stdout.isTTY ? '\x1b[1m[start]\x1b[0m' : '[start]'
    } ${message}\n`,
  );
}

/** Process groups started here (each child leads its own). @type {Set<number>} */
const groups = new Set();
let stopping = false;

/**
 * Starts a child in its own process group (so stopping it also stops what it
 * started: yarn → backstage-cli → node), with prefixed output.
 */
function start(
  /** @type {keyof typeof colors} */ name,
  /** @type {string} */ command,
  /** @type {string[]} */ argv,
  /** @type {{ longRunning: boolean, env?: NodeJS.ProcessEnv, onLine?: (line: string) => void }} */ options,
) {
  if (stopping) return Promise.resolve(1);
  const child = spawn(command, argv, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      FORCE_COLOR: process.stdout.isTTY ? '1' : '0',
      ...options.env,
    },
  });
  prefixLines(
    /** @type {NodeJS.ReadableStream} */ (child.stdout),
    name,
    process.stdout,
    options.onLine,
  );
  prefixLines(
    /** @type {NodeJS.ReadableStream} */ (child.stderr),
    name,
    process.stderr,
    options.onLine,
  );
  if (child.pid !== undefined) groups.add(child.pid);
  const exited = new Promise(resolve => {
    child.on('exit', (code, signal) => {
      resolve(code ?? 1);
      if (options.longRunning && !stopping) {
        log(
          `${name} exited (${signal ?? `code ${code}`}); stopping everything`,
        );
        stopAll(1);
      }
    });
  });
  child.on('error', error => {
    log(`${name} could not start: ${error.message}`);
    if (!stopping) stopAll(1);
  });
  return exited;
}

/** Sends a signal to a process group; answers false when the group is gone. */
function signalGroup(
  /** @type {number} */ groupId,
  /** @type {NodeJS.Signals | 0} */ signal,
) {
  try {
    process.kill(-groupId, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops every process group started here: SIGTERM, then SIGKILL for what is
 * still alive after 10 s. Waits for whole groups, not only the direct
 * children: the backend's node process outlives the CLI that started it.
 */
function stopAll(/** @type {number} */ exitCode) {
  if (stopping) return;
  stopping = true;
  for (const groupId of groups) signalGroup(groupId, 'SIGTERM');
  const killAt = Date.now() + 10_000;
  const poll = setInterval(() => {
    const alive = [...groups].filter(groupId => signalGroup(groupId, 0));
    if (alive.length === 0) {
      clearInterval(poll);
      process.exit(exitCode);
    } else if (Date.now() > killAt) {
      log(
        `killing what did not stop in 10 s (process groups ${alive.join(
          ', ',
        )})`,
      );
      for (const groupId of alive) signalGroup(groupId, 'SIGKILL');
      groups.clear();
    }
  }, 200);
}

for (const signal of /** @type {NodeJS.Signals[]} */ ([
  'SIGINT',
  'SIGTERM',
  'SIGHUP',
])) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    stopAll(signal === 'SIGINT' ? 0 : 1);
  });
}

/** Resolves once `url` answers 2xx; polls every second. */
async function waitFor(
  /** @type {string} */ url,
  /** @type {number} */ timeoutMs,
) {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    if (stopping) throw new Error('stopping');
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > giveUpAt) {
      throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

/**
 * Runs the seed whenever the backend starts: `backstage-cli package start`
 * restarts the backend when its sources change, and its in-memory database
 * is empty again. A start while a seed runs queues one more run.
 */
class Seeder {
  enabled = process.env.DEMO_SEED !== '0';
  /** @type {Promise<void> | undefined} */
  running = undefined;
  queued = false;
  /** @type {number | undefined} */
  lastExitCode = undefined;
  /** @type {((code: number) => void)[]} */
  waiting = [];

  backendStarted() {
    if (!this.enabled) return;
    if (this.running) {
      this.queued = true;
    } else {
      this.running = this.run();
    }
  }

  async run() {
    const code = await start(
      'seed',
      process.execPath,
      [path.join(root, 'examples/seed/seed.js')],
      { longRunning: false, env: { IMMUTABLE_RELEASES_URL: backendUrl } },
    );
    log(code === 0 ? 'seed finished' : `seed failed (exit code ${code})`);
    this.lastExitCode = code;
    if (this.queued && !stopping) {
      this.queued = false;
      this.running = this.run();
      return;
    }
    this.running = undefined;
    for (const resolve of this.waiting.splice(0)) resolve(code);
  }

  /** The exit code of the last seed, once no seed runs or waits to run. */
  settled() {
    if (!this.enabled) return Promise.resolve(0);
    if (!this.running && this.lastExitCode !== undefined) {
      return Promise.resolve(this.lastExitCode);
    }
    return new Promise(resolve => this.waiting.push(resolve));
  }
}

async function main() {
  // The demo database is in memory, so the demo fleet (what local-deploy.js
  // recorded and fleet-server.js reports) starts empty with it.
  const fleetState = path.join(
    process.env.IMMUTABLE_RELEASES_DEMO_STATE_DIR || path.join(root, '.state'),
    'deployments',
  );
  fs.rmSync(fleetState, { recursive: true, force: true });

  const seeder = new Seeder();
  if (!seeder.enabled) log('DEMO_SEED=0: not seeding');
  let backendStarts = 0;

  // start-backend.js adds app-config.yaml and app-config.demo.yaml itself, then the extra files.
  const extraConfigArgs = extraConfigFiles.flatMap(file => ['--config', file]);
  start(
    'backend',
    process.execPath,
    [path.join(__dirname, 'start-backend.js'), ...extraConfigArgs],
    {
      longRunning: true,
      onLine: line => {
        if (!line.includes('Listening on ')) return;
        if (backendStarts++ > 0) {
          log('the backend restarted with an empty database: seeding again');
        }
        seeder.backendStarted();
      },
    },
  );
  start('app', 'yarn', ['workspace', 'app', 'start', ...configArgs], {
    longRunning: true,
    env: { BROWSER: 'none' },
  });
  const fleetServer = path.join(root, 'examples/deploy/fleet-server.js');
  if (fs.existsSync(fleetServer)) {
    start('fleet', process.execPath, [fleetServer], { longRunning: true });
  } else {
    log('examples/deploy/fleet-server.js not found: no demo fleet server');
  }

  await waitFor(`${backendUrl}/api/immutable-releases/health`, 300_000);
  log(`backend is up on ${backendUrl}`);
  await waitFor(frontendUrl, 600_000);
  const seedCode = await seeder.settled();
  log(
    `demo ready: ${frontendUrl} (sign in as guest)${
      seedCode === 0 ? '' : ' — without the demo history: the seed failed'
    }`,
  );
}

main().catch(error => {
  if (stopping) return;
  log(`failed: ${error.message}`);
  stopAll(1);
});
