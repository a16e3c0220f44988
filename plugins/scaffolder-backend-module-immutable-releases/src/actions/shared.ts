import { RootConfigService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  Deployment,
  TERMINAL_DEPLOYMENT_STATUSES,
} from 'backstage-plugin-immutable-releases-common';
import type { z as zod } from 'zod/v3';
import { ReleasesApiClient } from './ReleasesApiClient';

/** What every action of this module needs from the backend it runs in. */
export interface ReleasesActionOptions {
  client: ReleasesApiClient;
  config: RootConfigService;
  /** Pause between two reads of a deployment while waiting for it; 2 seconds by default. */
  pollIntervalMs?: number;
}

type Zod = typeof zod;

/** How long `waitForCompletion` waits by default. */
const DEFAULT_TIMEOUT_SECONDS = 600;

/** The `entityRef` input every action takes. */
export const entityRefInput = (z: Zod) =>
  z
    .string()
    .min(1)
    .describe('The catalog entity, e.g. component:default/checkout');

/** The inputs of an action that can wait for the deployment it requested. */
export function waitInputs(what: 'deployment' | 'rollback') {
  return {
    waitForCompletion: (z: Zod) =>
      z
        .boolean()
        .optional()
        .describe(
          `Wait until the ${what} succeeded, and fail the step if it did not`,
        ),
    timeoutSeconds: (z: Zod) =>
      z
        .number()
        .int()
        .min(1)
        .max(86400)
        .optional()
        .describe(
          `How long to wait with waitForCompletion (default ${DEFAULT_TIMEOUT_SECONDS})`,
        ),
  };
}

/** The smallest logger interface the actions use (the task's logger). */
interface ActionLogger {
  info(message: string): void;
}

/** `kind:namespace/name` in lower case, with `component` and `default` filled in. */
export function normalizeEntityRef(entityRef: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(entityRef, {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(
      `entityRef '${entityRef}' is not an entity reference`,
      error,
    );
  }
}

/** The link to the entity's Releases tab in the Backstage app. */
export function releasesUrl(
  config: RootConfigService,
  entityRef: string,
): string {
  const baseUrl = config.getString('app.baseUrl').replace(/\/+$/, '');
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `${baseUrl}/catalog/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/releases`;
}

/**
 * Reads the deployment until it reaches a final status (succeeded, failed,
 * rejected, cancelled, superseded), logging each new transition. Gives up with
 * an error after `timeoutSeconds` or when the task is cancelled.
 */
export async function waitForDeployment(options: {
  client: ReleasesApiClient;
  deployment: Deployment;
  credentials: Parameters<ReleasesApiClient['getDeployment']>[1];
  timeoutSeconds: number;
  pollIntervalMs: number;
  logger: ActionLogger;
  signal?: AbortSignal;
}): Promise<Deployment> {
  const { client, credentials, logger, signal } = options;
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  let deployment = options.deployment;
  let loggedTransitions = 0;
  for (;;) {
    for (const transition of deployment.transitions.slice(loggedTransitions)) {
      logger.info(
        `${deployment.environment}: ${transition.status} by ${transition.actor}: ${transition.message}`,
      );
    }
    loggedTransitions = deployment.transitions.length;
    if (TERMINAL_DEPLOYMENT_STATUSES.includes(deployment.status)) {
      return deployment;
    }
    if (signal?.aborted) {
      throw new Error(
        `stopped waiting for deployment ${deployment.id}: the task was cancelled (it is still ${deployment.status})`,
      );
    }
    if (Date.now() >= deadline) {
      throw new Error(
        `deployment ${deployment.id} is still ${deployment.status} after ${
          options.timeoutSeconds
        } seconds${
          deployment.status === 'pending'
            ? ' (waiting for approvals or for the environment to be free)'
            : ''
        }; it continues without this task`,
      );
    }
    await pause(options.pollIntervalMs, signal);
    deployment = await client.getDeployment(deployment.id, credentials);
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * With `waitForCompletion`, waits until the deployment is over, reports its
 * final status and fails the step unless it succeeded.
 */
export async function waitIfRequested(options: {
  input: { waitForCompletion?: boolean; timeoutSeconds?: number };
  client: ReleasesApiClient;
  deployment: Deployment;
  credentials: Parameters<ReleasesApiClient['getDeployment']>[1];
  pollIntervalMs?: number;
  logger: ActionLogger;
  signal?: AbortSignal;
  onStatus: (status: Deployment['status']) => void;
}): Promise<void> {
  const { input, onStatus, ...waiting } = options;
  if (!input.waitForCompletion) {
    return;
  }
  const deployment = await waitForDeployment({
    ...waiting,
    pollIntervalMs: waiting.pollIntervalMs ?? 2000,
    timeoutSeconds: input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
  });
  onStatus(deployment.status);
  assertSucceeded(deployment);
}

/** Fails the action when a deployment it waited for did not succeed. */
function assertSucceeded(deployment: Deployment): void {
  if (deployment.status === 'succeeded') {
    return;
  }
  const last = deployment.transitions[deployment.transitions.length - 1];
  throw new Error(
    `${deployment.kind} ${deployment.id} of ${deployment.release.version} to ${
      deployment.environment
    } ended ${deployment.status}${last ? `: ${last.message}` : ''}`,
  );
}
