import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeploymentContext,
  DeploymentExecutor,
  DeploymentOutcome,
  describeDuration,
  TargetRequestError,
} from 'backstage-plugin-immutable-releases-node';
import { applicationNameOf } from './applicationName';
import { ArgoCdClient } from './ArgoCdClient';
import { Application } from './argoCdTypes';
import { ArgoCdExecutorSettings } from './executorSettings';
import { imageOverride } from './imageOverride';
import { hasOperationSince, syncProgress, SyncProgress } from './syncProgress';

const ABORTED_MESSAGE = 'deployment aborted';
/** Answers that no retry will change while waiting for the sync. */
const PERMANENT_STATUSES = [401, 403, 404];
const OPERATION_IN_PROGRESS = /another operation is already in progress/i;

/** What is known of one deployment's Application while it runs. */
interface Attempt {
  application?: string;
  override?: string;
  progress?: SyncProgress;
  /** The last failure to read the Application, kept for the timeout message. */
  lastError?: string;
}

/**
 * Deploys a release through Argo CD: sets the Application's image override
 * to `uri@digest` (a Kustomize image or a Helm parameter), requests a sync,
 * and waits until the Application is Synced and Healthy after it.
 */
export class ArgoCdExecutor implements DeploymentExecutor {
  private readonly client: ArgoCdClient;

  constructor(private readonly settings: ArgoCdExecutorSettings) {
    this.client = new ArgoCdClient(settings.connection);
  }

  async deploy(context: DeploymentContext): Promise<DeploymentOutcome> {
    const { payload, entity } = context;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = AbortSignal.any([context.signal, timeout]);
    const attempt: Attempt = {};
    try {
      const name = applicationNameOf(
        this.settings.connection.application,
        entity,
        payload.environment,
      );
      attempt.application = name;
      const path = applicationPath(name);
      const before = await this.client.request<Application>('GET', path, {
        signal,
      });
      const override = imageOverride(before, {
        uri: payload.release.artifact.uri,
        artifactRef: payload.artifactRef,
        helmImageParameter: this.settings.helmImageParameter,
      });
      await this.client.request('PATCH', path, {
        body: {
          name,
          patch: JSON.stringify(override.patch),
          patchType: 'merge',
        },
        signal,
      });
      attempt.override = override.description;
      const reportAttempt = () =>
        context.reportProgress({
          url: this.client.applicationUrl(name),
          output: describeAttempt(attempt),
        });
      reportAttempt();
      await this.syncAndWait(path, {
        previousStartedAt: before.status?.operationState?.startedAt,
        attempt,
        signal,
        afterEachRead: reportAttempt,
      });
      return {
        status: 'succeeded',
        url: this.client.applicationUrl(name),
        message: `Argo CD synced application ${name} to ${payload.artifactRef}`,
        output: describeAttempt(attempt),
      };
    } catch (error) {
      return {
        status: 'failed',
        ...(attempt.application
          ? { url: this.client.applicationUrl(attempt.application) }
          : {}),
        message: this.describeFailure(error, attempt, {
          timeout,
          deploymentSignal: context.signal,
        }),
        ...(attempt.override ? { output: describeAttempt(attempt) } : {}),
      };
    }
  }

  /**
   * Requests the sync, then reads the Application every poll interval until
   * the sync is complete; throws when it fails. While another operation runs
   * (an automated sync of the patch, or someone else's), the request is
   * repeated until Argo CD accepts it or a newer operation appears.
   */
  private async syncAndWait(
    path: string,
    {
      previousStartedAt,
      attempt,
      signal,
      afterEachRead,
    }: {
      previousStartedAt: string | undefined;
      attempt: Attempt;
      signal: AbortSignal;
      afterEachRead: () => void;
    },
  ): Promise<void> {
    let syncRequested = false;
    for (;;) {
      if (!syncRequested) {
        try {
          await this.client.request('POST', `${path}/sync`, {
            body: {},
            signal,
          });
          syncRequested = true;
        } catch (error) {
          if (!isOperationInProgress(error)) {
            throw error;
          }
        }
      }
      let application: Application;
      try {
        application = await this.client.request<Application>('GET', path, {
          signal,
        });
      } catch (error) {
        if (
          signal.aborted ||
          !(error instanceof TargetRequestError) ||
          PERMANENT_STATUSES.includes(error.status ?? 0)
        ) {
          throw error;
        }
        // A passing network or server hiccup: the next poll may succeed.
        attempt.lastError = error.message;
        await sleep(this.settings.pollIntervalMs, undefined, { signal });
        continue;
      }
      attempt.lastError = undefined;
      // An operation newer than the patch (an automated sync) applies it too.
      syncRequested ||= hasOperationSince(application, previousStartedAt);
      attempt.progress = syncProgress(application, previousStartedAt);
      afterEachRead();
      if (attempt.progress.state === 'failed') {
        throw new Error(
          `Argo CD application ${attempt.application}: ${attempt.progress.reason}`,
        );
      }
      if (attempt.progress.state === 'complete') {
        return;
      }
      await sleep(this.settings.pollIntervalMs, undefined, { signal });
    }
  }

  private describeFailure(
    error: unknown,
    attempt: Attempt,
    {
      timeout,
      deploymentSignal,
    }: { timeout: AbortSignal; deploymentSignal: AbortSignal },
  ): string {
    if (deploymentSignal.aborted) {
      return ABORTED_MESSAGE;
    }
    if (timeout.aborted) {
      return `Argo CD application ${
        attempt.application
      } was not Synced and Healthy within ${describeDuration(
        this.settings.timeoutMs,
      )}: ${attempt.progress?.status ?? 'status not read yet'}${
        attempt.lastError ? ` (last read failed: ${attempt.lastError})` : ''
      }`;
    }
    return (error as Error)?.message ?? String(error);
  }
}

function applicationPath(name: string): string {
  return `/api/v1/applications/${encodeURIComponent(name)}`;
}

function isOperationInProgress(error: unknown): boolean {
  return (
    error instanceof TargetRequestError &&
    OPERATION_IN_PROGRESS.test(error.message)
  );
}

/** The output kept on the deployment: the Application, its override, sync and health. */
function describeAttempt(attempt: Attempt): string {
  return [
    `application ${attempt.application}`,
    ...(attempt.override ? [`set ${attempt.override}`] : []),
    ...(attempt.progress ? [attempt.progress.status] : []),
  ].join('\n');
}
