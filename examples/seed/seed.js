#!/usr/bin/env node
// @ts-check
/*
 * Seeds the demo portal with real history, through the REST API only (the
 * same calls a CI pipeline and the release managers make): releases with
 * source and checks, promotions along the pipeline whose deployments run
 * through the configured executor (the local deploy script in the demo),
 * production promotions approved by two demo users, a rollback that leaves a
 * hold, a production promotion still waiting for its second approval, and
 * drift observations (one drifted, one unmanaged environment).
 *
 *   node examples/seed/seed.js
 *
 * Environment:
 *   IMMUTABLE_RELEASES_URL       backend base URL (default http://localhost:7007)
 *   IMMUTABLE_RELEASES_CI_TOKEN  the static token of app-config.demo.yaml
 *                                (default dev-ci-token-change-me)
 *   IMMUTABLE_RELEASES_DEMO_STATE_DIR  the demo fleet's state (default .state)
 *
 * Releases, promotions, rollbacks and observations are made with the CI
 * token; approvals are made by users, so the approvers (alice and bob of
 * examples/entities/catalog.yaml) sign in through the demo-only provider
 * `auth.providers.demo`. Without it, environments that need approvals get
 * only the waiting promotion.
 *
 * The demo database is in memory, so each start of the backend is seeded
 * once; run against a backend that already has the history, it says so and
 * stops. It adapts to the pipeline it finds: a promotion whose gates would
 * refuse it is skipped with a warning.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const {
  API,
  warnings,
  say,
  warn,
  ApiError,
  call,
  waitForBackend,
  entityPath,
  hexOf,
  signInAs,
} = require('./api');
const { ServiceStory } = require('./ServiceStory');

/**
 * Plays the person who changes a machine by hand: rewrites what the demo
 * fleet (examples/deploy/fleet-server.js, which the drift probes poll) says
 * runs in an environment, in the state file examples/deploy/local-deploy.js
 * keeps. Without this the next probe would report the deployed release again
 * and undo the seeded drift. Does nothing when the state directory is not
 * here (a backend on another machine).
 */
function patchFleetByHand(
  /** @type {string} */ entityRef,
  /** @type {string} */ environment,
  /** @type {string} */ digest,
  /** @type {string | undefined} */ version,
) {
  const stateRoot =
    process.env.IMMUTABLE_RELEASES_DEMO_STATE_DIR ||
    path.resolve(__dirname, '../../.state');
  if (!fs.existsSync(path.join(stateRoot, 'deployments'))) return;
  const safe = (/** @type {string} */ name) =>
    name.replace(/[^a-zA-Z0-9._-]/g, '_');
  const dir = path.join(stateRoot, 'deployments', safe(entityRef));
  const file = path.join(dir, `${safe(environment)}.json`);
  fs.mkdirSync(dir, { recursive: true });
  const state = {
    entityRef,
    environment,
    version,
    digest,
    deployedAt: new Date().toISOString(),
    note: 'changed by hand outside the pipeline (examples/seed/seed.js)',
  };
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

/** Reports what runs where; answers false when the route does not exist yet. */
async function observe(/** @type {any[]} */ observations) {
  try {
    const { accepted } = await call('POST', '/v1/observations', {
      observations,
    });
    say(`observations: ${accepted} accepted`);
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      warn(
        'POST /v1/observations answered 404 (drift detection not in this backend): no drift seeded',
      );
      return false;
    }
    throw error;
  }
}

/** Members of the demo's approver group (examples/entities/catalog.yaml). */
const DEMO_APPROVERS = ['alice', 'bob'];

const SERVICES = {
  checkout: {
    entityRef: 'component:default/checkout',
    artifactType: 'oci-image',
    uri: 'ghcr.io/acme/checkout',
    repository: 'https://github.com/acme/checkout',
  },
  ledger: {
    entityRef: 'component:default/ledger',
    artifactType: 'vm-image',
    uri: 'https://images.example.com/acme/ledger',
    repository: 'https://github.com/acme/ledger',
  },
};

async function main() {
  say(`seeding ${API}`);
  await waitForBackend(SERVICES.checkout.entityRef);
  await waitForBackend(SERVICES.ledger.entityRef);

  const existing = await call(
    'GET',
    `${entityPath(SERVICES.checkout.entityRef)}/releases?limit=1`,
  );
  if (existing.items.length > 0) {
    say('this backend already has demo history: nothing to seed');
    return;
  }

  const { environments } = await call(
    'GET',
    `${entityPath(SERVICES.checkout.entityRef)}/environments`,
  );
  const names = environments.map((/** @type {any} */ e) => e.name);
  say(`pipeline: ${names.join(' → ')}`);
  const [first, second, last] = [
    names[0],
    names[Math.min(1, names.length - 1)],
    names[names.length - 1],
  ];

  const approvers = (
    await Promise.all(DEMO_APPROVERS.map(user => signInAs(user)))
  ).filter(approver => approver !== undefined);
  if (approvers.length === 0) {
    warn(
      'no demo approvers (auth.providers.demo is off): environments that need approvals stay empty',
    );
  } else {
    say(`approvers: ${approvers.map(a => a.user).join(', ')}`);
  }

  // checkout: two releases in production; 1.2.0 on its way there, approved
  // by one approver of two; 1.3.0 rolled back in staging (which holds it).
  const checkout = new ServiceStory(SERVICES.checkout, environments, approvers);
  const passed = { 'unit-tests': 'passed', 'security-scan': 'passed' };
  await checkout.register('1.0.0', { daysAgo: 9, checks: passed, build: 1801 });
  await checkout.promoteThrough('1.0.0', last);
  await checkout.register('1.1.0', { daysAgo: 6, checks: passed, build: 1834 });
  await checkout.promoteThrough('1.1.0', last);
  // 1.2.0 is the first with a load test: its page shows the check 1.1.0 lacks.
  await checkout.register('1.2.0', {
    daysAgo: 3,
    checks: { ...passed, 'load-test': 'passed' },
    build: 1862,
  });
  await checkout.promoteThrough('1.2.0', second);
  if (last !== second) {
    await checkout.promote('1.2.0', last, 'weekly production release', {
      approveAs: DEMO_APPROVERS.slice(0, 1),
      wait: false,
    });
  }
  await checkout.register('1.3.0', {
    daysAgo: 1,
    checks: { 'unit-tests': 'passed', 'security-scan': 'pending' },
    build: 1880,
  });
  await checkout.promoteThrough('1.3.0', second);
  await checkout.rollback(
    second,
    'error rate on /cart doubled after 1.3.0; back to the previous release',
  );

  // ledger: a straight line — two releases in production, one in staging,
  // one fresh in development (the end-to-end test promotes it to staging).
  const ledger = new ServiceStory(SERVICES.ledger, environments, approvers);
  await ledger.register('2.3.0', { daysAgo: 12, checks: passed, build: 512 });
  await ledger.promoteThrough('2.3.0', last);
  await ledger.register('2.4.0', { daysAgo: 7, checks: passed, build: 540 });
  await ledger.promoteThrough('2.4.0', last);
  await ledger.register('2.5.0', { daysAgo: 4, checks: passed, build: 566 });
  await ledger.promoteThrough('2.5.0', second);
  await ledger.register('2.6.0', {
    daysAgo: 1,
    checks: { 'unit-tests': 'passed', 'security-scan': 'passed' },
    build: 590,
  });

  // What the fleet reports: checkout's staging still runs 1.1.0 although the
  // rollback deployed 1.2.0 (drifted), someone hot-patched production with an
  // image no release knows (unmanaged); the rest is in sync.
  const observations = [];
  const observedAt = new Date().toISOString();
  for (const story of [checkout, ledger]) {
    for (const environment of await story.environmentsNow()) {
      const current = environment.currentRelease;
      let digest = current?.artifact?.digest;
      if (
        story === checkout &&
        environment.name === second &&
        second !== first
      ) {
        digest = checkout.digestOf('1.1.0');
        patchFleetByHand(story.service.entityRef, second, digest, '1.1.0');
      } else if (story === checkout && environment.name === last) {
        digest = `sha256:${hexOf('hot-patched at midnight', 64)}`;
        patchFleetByHand(story.service.entityRef, last, digest, undefined);
      }
      if (digest) {
        observations.push({
          entityRef: story.service.entityRef,
          environment: environment.name,
          digest,
          source: 'demo-fleet-agent',
          observedAt,
        });
      }
    }
  }
  await observe(observations);

  say('');
  say('demo history:');
  for (const story of [checkout, ledger]) {
    say(`  ${story.service.entityRef}`);
    for (const environment of await story.environmentsNow()) {
      const pending = environment.pendingDeployments?.length ?? 0;
      say(
        `    ${environment.name.padEnd(12)} ${(
          environment.currentRelease?.version ?? '—'
        ).padEnd(7)} drift ${environment.drift?.status ?? '?'}${
          environment.hold ? ', held' : ''
        }${pending ? `, ${pending} waiting` : ''}`,
      );
    }
  }
  if (warnings.length > 0) {
    say(`${warnings.length} warning(s) above`);
  }
}

main().catch(error => {
  process.stderr.write(
    `seed failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
