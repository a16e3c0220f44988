#!/usr/bin/env node
// @ts-check
/*
 * The demo's deploy script, run by the `command` executor (see app-config.yaml).
 *
 * It reads the deployment as JSON on stdin, "deploys" it by recording what now
 * runs in <repo root>/.state/deployments/<entity>/<environment>.json, and exits
 * 0 on success. Nothing is really started: the state files let the demo (and
 * you) see what each environment would be running.
 *
 * Environment:
 *   IMMUTABLE_RELEASES_DEMO_STATE_DIR  where state is kept (default <repo root>/.state)
 *   DEMO_DEPLOY_DELAY_MS               pause before finishing, to show slow deploys
 *
 * A release labelled `demo/fail-deploy: "true"` fails to deploy, to show failures.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '../..');
const FAIL_LABEL = 'demo/fail-deploy';

/** @param {string} message */
function fail(message) {
  process.stderr.write(`deploy failed: ${message}\n`);
  process.exit(1);
}

/** @returns {Promise<string>} */
function readStdin() {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', chunk => {
      text += chunk;
    });
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

/** @param {string} text */
function parseDeployment(text) {
  let deployment;
  try {
    deployment = JSON.parse(text);
  } catch (error) {
    return fail(`stdin is not the deployment JSON (${error})`);
  }
  for (const field of [
    'deploymentId',
    'entityRef',
    'environment',
    'artifactRef',
  ]) {
    if (typeof deployment?.[field] !== 'string' || deployment[field] === '') {
      return fail(`the deployment JSON has no "${field}"`);
    }
  }
  return deployment;
}

/** File-system-safe form of a name: `component:default/shop` → `component_default_shop`. */
function safeFileName(/** @type {string} */ name) {
  return name.replace(/[^a-zA-Z0-9._-]/g, '_');
}

async function main() {
  const deployment = parseDeployment(await readStdin());
  const { deploymentId, kind, entityRef, environment, artifactRef } =
    deployment;
  const release = deployment.release ?? {};

  if (!/@sha(256|512):[0-9a-f]+$/.test(artifactRef)) {
    fail(
      `refusing to deploy ${artifactRef}: not pinned by a sha256 or sha512 digest`,
    );
  }

  process.stdout.write(
    `${
      kind === 'rollback' ? 'rolling back' : 'deploying'
    } ${artifactRef} to ${environment}…\n`,
  );
  process.stdout.write(`  entity:     ${entityRef}\n`);
  process.stdout.write(`  version:    ${release.version ?? '(unknown)'}\n`);
  process.stdout.write(`  deployment: ${deploymentId}\n`);

  const delayMs = Number(process.env.DEMO_DEPLOY_DELAY_MS ?? 0);
  if (delayMs > 0) {
    process.stdout.write(`  taking ${delayMs} ms (DEMO_DEPLOY_DELAY_MS)…\n`);
    await new Promise(resolve => setTimeout(resolve, delayMs));
  }

  if (release.labels?.[FAIL_LABEL] === 'true') {
    fail(`release ${release.version} carries the label ${FAIL_LABEL}: "true"`);
  }

  const stateRoot =
    process.env.IMMUTABLE_RELEASES_DEMO_STATE_DIR ||
    path.join(REPO_ROOT, '.state');
  const stateDir = path.join(stateRoot, 'deployments', safeFileName(entityRef));
  const stateFile = path.join(stateDir, `${safeFileName(environment)}.json`);
  const state = {
    entityRef,
    environment,
    version: release.version,
    digest: release.artifact?.digest,
    artifactRef,
    releaseId: release.id,
    // The fleet server (fleet-server.js) answers 503 on /health for releases
    // labelled `demo/unhealthy: "true"`.
    labels: release.labels ?? {},
    deploymentId,
    deployedAt: new Date().toISOString(),
  };
  fs.mkdirSync(stateDir, { recursive: true });
  // Write then rename, so a reader never sees half a file.
  const partialFile = `${stateFile}.${process.pid}.tmp`;
  fs.writeFileSync(partialFile, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(partialFile, stateFile);

  process.stdout.write(
    `${environment} now runs ${entityRef} ${release.version} (${stateFile})\n`,
  );
}

main().catch(error =>
  fail(error instanceof Error ? error.stack ?? error.message : String(error)),
);
