#!/usr/bin/env node
// @ts-check
/*
 * The demo's "fleet": a tiny HTTP server that answers, for every entity and
 * environment, what local-deploy.js recorded as running there. The drift
 * probe in app-config.yaml polls it, so editing a state file by hand (say,
 * changing its digest) is the demo's "someone patched prod at midnight".
 *
 *   GET /{namespace}/{name}/{environment}/version
 *       200 {"digest", "version", "deployedAt"}, or 404 when nothing is deployed
 *   GET /{namespace}/{name}/{environment}/health
 *       200 {"status": "ok"}, or 503 {"status": "unhealthy"} when the deployed
 *       release is labelled `demo/unhealthy: "true"`
 *
 * Environment:
 *   DEMO_FLEET_PORT                    port on 127.0.0.1 (default 7070)
 *   IMMUTABLE_RELEASES_DEMO_STATE_DIR  where local-deploy.js keeps state (default <repo root>/.state)
 *
 * Plain Node, no dependencies: `node examples/deploy/fleet-server.js`.
 */
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '../..');
const UNHEALTHY_LABEL = 'demo/unhealthy';

/** File-system-safe form of a name, as local-deploy.js writes it. */
function safeFileName(/** @type {string} */ name) {
  return name.replace(/[^a-zA-Z0-9._-]/g, '_');
}

/**
 * What runs in an environment of the entity `namespace/name` (any kind,
 * `component` first), or undefined.
 * @param {string} stateRoot
 * @param {string} namespace
 * @param {string} name
 * @param {string} environment
 */
function readDeployed(stateRoot, namespace, name, environment) {
  const deploymentsDir = path.join(stateRoot, 'deployments');
  let entityDirs;
  try {
    entityDirs = fs.readdirSync(deploymentsDir);
  } catch {
    return undefined;
  }
  const suffix = `_${safeFileName(namespace)}_${safeFileName(
    name,
  )}`.toLowerCase();
  const candidates = entityDirs
    .filter(dir => dir.toLowerCase().endsWith(suffix))
    .sort(
      (a, b) =>
        Number(b.toLowerCase().startsWith('component_')) -
        Number(a.toLowerCase().startsWith('component_')),
    );
  for (const dir of candidates) {
    const file = path.join(
      deploymentsDir,
      dir,
      `${safeFileName(environment)}.json`,
    );
    let state;
    try {
      state = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      continue;
    }
    const ref = String(state.entityRef ?? '').toLowerCase();
    if (ref.endsWith(`:${namespace}/${name}`.toLowerCase())) {
      return state;
    }
  }
  return undefined;
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function send(res, status, body) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  });
  res.end(`${JSON.stringify(body)}\n`);
}

/**
 * The fleet server over a state directory (not yet listening).
 * @param {{ stateRoot?: string }} [options]
 */
function createFleetServer(options = {}) {
  const stateRoot =
    options.stateRoot ??
    (process.env.IMMUTABLE_RELEASES_DEMO_STATE_DIR ||
      path.join(REPO_ROOT, '.state'));
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fleet');
    const parts = url.pathname
      .split('/')
      .filter(Boolean)
      .map(decodeURIComponent);
    if (req.method !== 'GET' || parts.length !== 4) {
      send(res, 404, {
        error: 'use GET /{namespace}/{name}/{environment}/version or /health',
      });
      return;
    }
    const [namespace, name, environment, what] = parts;
    if (what !== 'version' && what !== 'health') {
      send(res, 404, { error: `unknown path ${url.pathname}` });
      return;
    }
    const deployed = readDeployed(stateRoot, namespace, name, environment);
    if (!deployed) {
      send(res, 404, {
        error: `nothing is deployed to ${environment} of ${namespace}/${name}`,
      });
      return;
    }
    if (what === 'version') {
      send(res, 200, {
        digest: deployed.digest,
        version: deployed.version,
        deployedAt: deployed.deployedAt,
      });
    } else if (deployed.labels?.[UNHEALTHY_LABEL] === 'true') {
      send(res, 503, {
        status: 'unhealthy',
        reason: `release ${deployed.version} carries ${UNHEALTHY_LABEL}: "true"`,
      });
    } else {
      send(res, 200, { status: 'ok' });
    }
  });
}

module.exports = { createFleetServer };

if (require.main === module) {
  const port = Number(process.env.DEMO_FLEET_PORT ?? 7070);
  const server = createFleetServer();
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(
      `fleet server on http://127.0.0.1:${port}/{namespace}/{name}/{environment}/version\n`,
    );
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
