// @ts-check
/*
 * How the seed talks to the backend: the REST API with the CI token, the demo
 * sign-in of the approvers, and waiting for what runs in the background.
 */
'use strict';

const crypto = require('node:crypto');

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

module.exports = {
  BASE_URL,
  API,
  TOKEN,
  TERMINAL,
  DAY_MS,
  warnings,
  say,
  warn,
  ApiError,
  call,
  pause,
  eventually,
  waitForBackend,
  entityPath,
  hexOf,
  waitForDeployment,
  describeOutcome,
  expectSucceeded,
  signInAs,
};
