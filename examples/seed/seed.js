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

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const BASE_URL = (
  process.env.IMMUTABLE_RELEASES_URL || 'http://localhost:7007'
).replace(/\/+$/, '');
const API = `${BASE_URL}/api/immutable-releases`;
const TOKEN =
  process.env.IMMUTABLE_RELEASES_CI_TOKEN || 'dev-ci-token-change-me';
const TERMINAL = new Set([
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'superseded',
]);
const DAY_MS = 24 * 60 * 60 * 1000;

/** What the seed did, for the summary and the exit code. */
const warnings = [];

function say(/** @type {string} */ message) {
  process.stdout.write(`${message}\n`);
}

function warn(/** @type {string} */ message) {
  warnings.push(message);
  process.stdout.write(`warning: ${message}\n`);
}

class ApiError extends Error {
  constructor(
    /** @type {string} */ message,
    /** @type {number} */ status,
    /** @type {any} */ body,
  ) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/**
 * Calls the API with the CI token; answers the parsed body, or throws an
 * ApiError with the server's message when the status is not 2xx.
 */
async function call(
  /** @type {string} */ method,
  /** @type {string} */ path,
  /** @type {unknown} */ body = undefined,
  /** @type {string} */ token = TOKEN,
) {
  const url = `${path.startsWith('http') ? '' : API}${path}`;
  const response = await fetch(url, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch(error => {
    throw new Error(
      `${method} ${url}: the backend did not answer (${error.cause ?? error})`,
      { cause: error },
    );
  });
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    const detail = parsed?.error?.message ?? text ?? response.statusText;
    throw new ApiError(
      `${method} ${path} answered ${response.status}: ${detail}`,
      response.status,
      parsed,
    );
  }
  return parsed;
}

const pause = (/** @type {number} */ ms) =>
  new Promise(resolve => setTimeout(resolve, ms));

/** Polls `probe` until it answers something other than undefined. */
async function eventually(
  /** @type {string} */ what,
  /** @type {() => Promise<any>} */ probe,
  /** @type {number} */ timeoutMs,
) {
  const giveUpAt = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > giveUpAt) {
      throw new Error(
        `gave up waiting for ${what} after ${timeoutMs / 1000} s`,
      );
    }
    await pause(300);
  }
}

/** Waits until the backend answers and the catalog holds the entity. */
async function waitForBackend(/** @type {string} */ entityRef) {
  await eventually(
    `${API}/health`,
    () =>
      fetch(`${API}/health`)
        .then(r => (r.ok ? true : undefined))
        .catch(() => undefined),
    180_000,
  );
  const [kind, rest] = entityRef.split(':');
  const [namespace, name] = rest.split('/');
  await eventually(
    `${entityRef} in the catalog`,
    () =>
      call(
        'GET',
        `${BASE_URL}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
      ).catch(error => {
        // 404: not ingested yet; 503 or no answer: the backend is (re)starting
        if (error instanceof ApiError && ![404, 503].includes(error.status)) {
          throw error;
        }
        return undefined;
      }),
    180_000,
  );
}

function entityPath(/** @type {string} */ entityRef) {
  const [kind, rest] = entityRef.split(':');
  const [namespace, name] = rest.split('/');
  return `/v1/entities/${kind}/${namespace}/${name}`;
}

/** A stable fake digest / commit for a version, so re-registering is idempotent. */
function hexOf(/** @type {string} */ text, /** @type {number} */ length) {
  return crypto
    .createHash('sha256')
    .update(text)
    .digest('hex')
    .slice(0, length);
}

/** Waits until a deployment is terminal and answers it. */
async function waitForDeployment(/** @type {string} */ deploymentId) {
  return eventually(
    `deployment ${deploymentId}`,
    async () => {
      const deployment = await call('GET', `/v1/deployments/${deploymentId}`);
      return TERMINAL.has(deployment.status) ? deployment : undefined;
    },
    180_000,
  );
}

function describeOutcome(/** @type {any} */ deployment) {
  const last = deployment.transitions?.[deployment.transitions.length - 1];
  return `${deployment.status}${last?.message ? ` (${last.message})` : ''}`;
}

/** Fails the seed unless the deployment succeeded. */
async function expectSucceeded(
  /** @type {any} */ deployment,
  /** @type {string} */ what,
) {
  const done = await waitForDeployment(deployment.id);
  if (done.status !== 'succeeded') {
    throw new Error(`${what}: ${describeOutcome(done)}`);
  }
  say(`  ${what}: succeeded`);
  return done;
}

/**
 * A user token for a demo user, from the demo-only sign-in provider
 * (`auth.providers.demo` in app-config.demo.yaml); undefined when it is off.
 * Approvals are made by users, never by the CI token.
 */
async function signInAs(/** @type {string} */ user) {
  const response = await fetch(`${BASE_URL}/api/auth/demo/refresh`, {
    headers: { 'x-demo-user': user, 'X-Requested-With': 'XMLHttpRequest' },
  }).catch(() => undefined);
  if (!response?.ok) return undefined;
  const token = (await response.json())?.backstageIdentity?.token;
  return typeof token === 'string' ? { user, token } : undefined;
}

/** @type {{ user: string, token: string }[]} */
let approvers = [];

class ServiceStory {
  constructor(
    /** @type {{ entityRef: string, artifactType: string, uri: string, repository: string }} */ service,
    /** @type {{ name: string, from: string | null }[]} */ environments,
  ) {
    this.service = service;
    this.environments = environments;
    /** @type {Map<string, any>} */
    this.releases = new Map();
  }

  digestOf(/** @type {string} */ version) {
    return `sha256:${hexOf(`${this.service.entityRef}@${version}`, 64)}`;
  }

  /**
   * Registers a release the way CI does, then waits for the deployments the
   * pipeline starts by itself (autoPromote) to finish.
   */
  async register(
    /** @type {string} */ version,
    /** @type {{ daysAgo: number, checks: Record<string, string>, build: number }} */ options,
  ) {
    const commit = hexOf(`${this.service.entityRef}#${version}`, 40);
    const release = await call('POST', '/v1/releases', {
      entityRef: this.service.entityRef,
      version,
      artifact: {
        type: this.service.artifactType,
        uri: this.service.uri,
        digest: this.digestOf(version),
      },
      source: {
        repository: this.service.repository,
        commit,
        branch: 'main',
        committedAt: new Date(
          Date.now() - options.daysAgo * DAY_MS,
        ).toISOString(),
      },
      build: {
        id: String(options.build),
        url: `https://ci.example.com/builds/${options.build}`,
      },
      checks: Object.entries(options.checks).map(([name, status]) => ({
        name,
        status,
        url: `https://ci.example.com/builds/${options.build}/${name}`,
        summary:
          name === 'unit-tests'
            ? `${380 + (options.build % 50)} passed`
            : status === 'passed'
            ? 'no known vulnerabilities'
            : 'scan running',
      })),
      labels: { team: 'payments' },
    });
    this.releases.set(version, release);
    say(`${this.service.entityRef} ${version}: registered (${release.id})`);
    for (const started of release.deployments ?? []) {
      await expectSucceeded(
        { id: started.deploymentId },
        `${version} → ${started.environment} (auto-promoted)`,
      );
    }
    return release;
  }

  /**
   * Promotes a release when its gates allow it. Where approvals are needed,
   * the demo approvers approve it (all of them, or only `approveAs`), and
   * with `wait: false` the deployment is left as it is. Answers 'deployed',
   * 'waiting', 'skipped' (a gate refuses it) or 'needs-approvals' (nobody
   * could approve, so nothing was requested).
   */
  async promote(
    /** @type {string} */ version,
    /** @type {string} */ environment,
    /** @type {string} */ reason,
    /** @type {{ approveAs?: string[], wait?: boolean }} */ options = {},
  ) {
    const wait = options.wait ?? true;
    const release = this.releases.get(version);
    const request = {
      entityRef: this.service.entityRef,
      releaseId: release.id,
      environment,
      reason,
    };
    const { gates } = await call('POST', '/v1/promotions', {
      ...request,
      dryRun: true,
    });
    const refused = gates.filter(
      (/** @type {any} */ g) => !g.passed && g.name !== 'approvals',
    );
    if (refused.length > 0) {
      warn(
        `${
          this.service.entityRef
        } ${version} → ${environment} skipped: ${refused
          .map((/** @type {any} */ g) => `${g.name} (${g.message})`)
          .join('; ')}`,
      );
      return 'skipped';
    }
    const waitsForApprovals = gates.some(
      (/** @type {any} */ g) => g.name === 'approvals' && !g.passed,
    );
    const approving = waitsForApprovals
      ? approvers.filter(
          a => !options.approveAs || options.approveAs.includes(a.user),
        )
      : [];
    if (waitsForApprovals && wait && approving.length === 0) {
      return 'needs-approvals';
    }
    let deployment = await call('POST', '/v1/promotions', request);
    for (const approver of approving) {
      deployment = await call(
        'POST',
        `/v1/deployments/${deployment.id}/approvals`,
        { decision: 'approve', comment: `checked the ${version} changelog` },
        approver.token,
      );
      say(`  ${version} → ${environment}: approved by ${approver.user}`);
    }
    if (!wait) {
      say(
        `  ${version} → ${environment}: ${deployment.status}, waiting for more approvals (${deployment.id})`,
      );
      return 'waiting';
    }
    await expectSucceeded(deployment, `${version} → ${environment}`);
    return 'deployed';
  }

  /** Promotes a release along the pipeline as far as `last`, stopping at approvals. */
  async promoteThrough(
    /** @type {string} */ version,
    /** @type {string} */ last,
  ) {
    for (const environment of this.environments.slice(1)) {
      const outcome = await this.promote(
        version,
        environment.name,
        `ship ${version} to ${environment.name}`,
      );
      if (outcome !== 'deployed') return outcome;
      if (environment.name === last) break;
    }
    return 'deployed';
  }

  async rollback(
    /** @type {string} */ environment,
    /** @type {string} */ reason,
  ) {
    const deployment = await call('POST', '/v1/rollbacks', {
      entityRef: this.service.entityRef,
      environment,
      reason,
    });
    await expectSucceeded(
      deployment,
      `rollback of ${environment} to ${deployment.release?.version}`,
    );
  }

  async environmentsNow() {
    return (
      await call('GET', `${entityPath(this.service.entityRef)}/environments`)
    ).environments;
  }
}

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

  approvers = (
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
  const checkout = new ServiceStory(SERVICES.checkout, environments);
  const passed = { 'unit-tests': 'passed', 'security-scan': 'passed' };
  await checkout.register('1.0.0', { daysAgo: 9, checks: passed, build: 1801 });
  await checkout.promoteThrough('1.0.0', last);
  await checkout.register('1.1.0', { daysAgo: 6, checks: passed, build: 1834 });
  await checkout.promoteThrough('1.1.0', last);
  await checkout.register('1.2.0', { daysAgo: 3, checks: passed, build: 1862 });
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
  const ledger = new ServiceStory(SERVICES.ledger, environments);
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
