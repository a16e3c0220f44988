import { Application } from './argoCdTypes';

/** Where the sync a deployment requested stands, from one read of the Application. */
export type SyncProgress =
  | { state: 'waiting' | 'complete'; status: string }
  | { state: 'failed'; reason: string; status: string };

const FAILED_PHASES = ['Failed', 'Error'];

/**
 * Decides from the Application whether the sync that started after the
 * operation `previousStartedAt` (the last one before the deployment) is
 * done: its operation `Succeeded`, the controller has reconciled since, and
 * the Application is `Synced` and `Healthy`. A failed operation, or
 * `Degraded` once the operation has succeeded, fails it; health before then
 * is that of the previous release.
 */
export function syncProgress(
  application: Application,
  previousStartedAt: string | undefined,
): SyncProgress {
  const status = describeStatus(application);
  const operation = application.status?.operationState;
  if (!operation || !hasOperationSince(application, previousStartedAt)) {
    return { state: 'waiting', status: `${status}, sync not started yet` };
  }
  if (FAILED_PHASES.includes(operation.phase ?? '')) {
    return {
      state: 'failed',
      reason: `sync operation ${operation.phase}: ${
        operation.message || 'Argo CD gave no message'
      }`,
      status,
    };
  }
  if (operation.phase !== 'Succeeded') {
    return { state: 'waiting', status };
  }
  const { reconciledAt } = application.status ?? {};
  if (
    operation.finishedAt &&
    (!reconciledAt ||
      Date.parse(reconciledAt) < Date.parse(operation.finishedAt))
  ) {
    return {
      state: 'waiting',
      status: `${status}, not reconciled since the sync finished`,
    };
  }
  const health = application.status?.health?.status;
  if (health === 'Degraded') {
    return {
      state: 'failed',
      reason: `application is Degraded: ${degradedMessage(application)}`,
      status,
    };
  }
  const complete =
    application.status?.sync?.status === 'Synced' && health === 'Healthy';
  return { state: complete ? 'complete' : 'waiting', status };
}

/** Whether an operation started after the one that started at `previousStartedAt`. */
export function hasOperationSince(
  application: Application,
  previousStartedAt: string | undefined,
): boolean {
  const operation = application.status?.operationState;
  return operation !== undefined && operation.startedAt !== previousStartedAt;
}

/** `sync OutOfSync, health Progressing, operation Running`. */
export function describeStatus(application: Application): string {
  const { sync, health, operationState } = application.status ?? {};
  return [
    `sync ${sync?.status ?? 'Unknown'}`,
    `health ${health?.status ?? 'Unknown'}`,
    ...(operationState?.phase ? [`operation ${operationState.phase}`] : []),
  ].join(', ');
}

/** The Application's health message, else those of its degraded resources. */
function degradedMessage(application: Application): string {
  const own = application.status?.health?.message;
  if (own) {
    return own;
  }
  const resources = (application.status?.resources ?? [])
    .filter(resource => resource.health?.status === 'Degraded')
    .map(
      resource =>
        `${resource.kind}/${resource.name}${
          resource.health?.message ? `: ${resource.health.message}` : ''
        }`,
    );
  return resources.join('; ') || 'Argo CD gave no message';
}
