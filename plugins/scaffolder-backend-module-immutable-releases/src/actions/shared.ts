import { RootConfigService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  Deployment,
  TERMINAL_DEPLOYMENT_STATUSES,
} from 'backstage-plugin-immutable-releases-common';
import { ReleasesApiClient } from './ReleasesApiClient';

/** What every action of this module needs from the backend it runs in. */
export interface ReleasesActionOptions {
  client: ReleasesApiClient;
  config: RootConfigService;
  /** Pause between two reads of a deployment while waiting for it; 2 seconds by default. */
  pollIntervalMs?: number;
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

/** Fails the action when a deployment it waited for did not succeed. */
export function assertSucceeded(deployment: Deployment): void {
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
