import { setTimeout as sleep } from 'node:timers/promises';
import { GithubCredentialsProvider } from '@backstage/integration';
import {
  DeploymentContext,
  DeploymentExecutor,
  DeploymentOutcome,
  describeDuration,
} from 'backstage-plugin-immutable-releases-node';
import { GithubActionsExecutorSettings } from './executorSettings';
import { GithubApi, GithubRequestError, Repository } from './GithubApi';
import { WorkflowRun, WorkflowRunList } from './githubTypes';
import { dispatchedRunsQuery, pickDispatchedRun } from './runMatching';
import { renderTemplate, renderTemplates, TemplateContext } from './templates';

const ABORTED_MESSAGE = 'deployment aborted';
const CANCEL_TIMEOUT_MS = 10_000;
const REPOSITORY = /^[\w.-]+\/[\w.-]+$/;

/** Raised inside `deploy` for an outcome that ends it early. */
class DeploymentFailure extends Error {}

/** What one deployment has reached so far, for the messages. */
interface Progress {
  api?: GithubApi;
  /** `workflow deploy.yml of acme/checkout on main` */
  description?: string;
  run?: WorkflowRun;
  /** The last failure to read the runs, kept for the timeout message. */
  lastError?: string;
}

/**
 * Deploys by dispatching a GitHub Actions workflow with inputs rendered from
 * the deployment, finding the run the dispatch started, and waiting for its
 * conclusion: `success` succeeds, anything else fails.
 */
export class GithubActionsExecutor implements DeploymentExecutor {
  constructor(
    private readonly settings: GithubActionsExecutorSettings,
    private readonly credentials: GithubCredentialsProvider,
  ) {}

  async deploy(context: DeploymentContext): Promise<DeploymentOutcome> {
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = AbortSignal.any([context.signal, timeout]);
    const progress: Progress = {};
    try {
      const templateContext = {
        payload: context.payload,
        entity: context.entity,
      };
      const repository = this.repositoryOf(templateContext);
      const ref = render(this.settings.ref, templateContext, 'ref');
      const inputs = render(this.settings.inputs, templateContext, 'inputs');
      const api = new GithubApi({
        host: this.settings.host,
        apiBaseUrl: this.settings.apiBaseUrl,
        credentials: this.credentials,
        repository,
      });
      progress.api = api;
      progress.description = `workflow ${this.settings.workflow} of ${repository.owner}/${repository.name} on ${ref}`;

      const runsPath = api.repoPath(
        'actions',
        'workflows',
        this.settings.workflow,
        'runs',
      );
      const query = dispatchedRunsQuery(ref, Date.now());
      const before = await refused(
        `could not list the runs of ${progress.description}`,
        api,
        () => api.get<WorkflowRunList>(runsPath, { query, signal }),
      );
      const runIdsBeforeDispatch = new Set(
        before.workflow_runs.map(run => run.id),
      );
      await this.dispatch(api, { ref, inputs, signal, progress });
      progress.run = await this.findRun(api, runsPath, {
        query,
        ref,
        runIdsBeforeDispatch,
        signal,
        progress,
      });
      const reportRun = () =>
        context.reportProgress({
          url: progress.run!.html_url,
          output: describeRun(progress.run!),
        });
      reportRun();
      const run = await this.waitForCompletion(api, {
        progress,
        signal,
        afterEachRead: reportRun,
      });
      const name = `${progress.description}: run #${run.run_number}`;
      return run.conclusion === 'success'
        ? {
            status: 'succeeded',
            url: run.html_url,
            message: `${name} succeeded`,
            output: describeRun(run),
          }
        : {
            status: 'failed',
            url: run.html_url,
            message: `${name} concluded ${
              run.conclusion ?? 'without a conclusion'
            }`,
            output: describeRun(run),
          };
    } catch (error) {
      return {
        status: 'failed',
        message: await this.describeFailure(error, {
          timeout,
          deploymentSignal: context.signal,
          progress,
        }),
        ...(progress.run
          ? { url: progress.run.html_url, output: describeRun(progress.run) }
          : {}),
      };
    }
  }

  private repositoryOf(context: TemplateContext): Repository {
    const rendered = render(this.settings.repository, context, 'repository');
    const [owner, name] = rendered.split('/');
    if (!REPOSITORY.test(rendered) || name === '.' || name === '..') {
      throw new DeploymentFailure(
        `repository '${this.settings.repository}' rendered '${rendered}', which is not owner/name`,
      );
    }
    return { owner, name };
  }

  private async dispatch(
    api: GithubApi,
    options: {
      ref: string;
      inputs: Record<string, string>;
      signal: AbortSignal;
      progress: Progress;
    },
  ): Promise<void> {
    const { ref, inputs, signal, progress } = options;
    await refused(`could not dispatch ${progress.description}`, api, () =>
      api.post(
        api.repoPath(
          'actions',
          'workflows',
          this.settings.workflow,
          'dispatches',
        ),
        { body: { ref, inputs }, signal },
      ),
    );
  }

  /** Reads the runs list every poll interval until the dispatched run is in it. */
  private async findRun(
    api: GithubApi,
    runsPath: string,
    options: {
      query: Record<string, string>;
      ref: string;
      runIdsBeforeDispatch: ReadonlySet<number>;
      signal: AbortSignal;
      progress: Progress;
    },
  ): Promise<WorkflowRun> {
    const { query, ref, runIdsBeforeDispatch, signal, progress } = options;
    for (;;) {
      await sleep(this.settings.pollIntervalMs, undefined, { signal });
      const list = await this.readTolerantly(progress, () =>
        api.get<WorkflowRunList>(runsPath, { query, signal }),
      );
      const run =
        list &&
        pickDispatchedRun(list.workflow_runs, { ref, runIdsBeforeDispatch });
      if (run) {
        return run;
      }
    }
  }

  /** Reads the run every poll interval until it is completed. */
  private async waitForCompletion(
    api: GithubApi,
    {
      progress,
      signal,
      afterEachRead,
    }: { progress: Progress; signal: AbortSignal; afterEachRead: () => void },
  ): Promise<WorkflowRun> {
    const runPath = api.repoPath('actions', 'runs', progress.run!.id);
    while (progress.run!.status !== 'completed') {
      await sleep(this.settings.pollIntervalMs, undefined, { signal });
      const run = await this.readTolerantly(progress, () =>
        api.get<WorkflowRun>(runPath, { signal }),
      );
      if (run) {
        progress.run = run;
        afterEachRead();
      }
    }
    return progress.run!;
  }

  /**
   * A read whose transient failure (no answer, 5xx, rate limit) is kept as
   * `lastError` and answered with undefined: the next poll may succeed.
   */
  private async readTolerantly<T>(
    progress: Progress,
    read: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      const result = await read();
      progress.lastError = undefined;
      return result;
    } catch (error) {
      if (error instanceof GithubRequestError && error.transient) {
        progress.lastError = error.message;
        return undefined;
      }
      throw error;
    }
  }

  private async describeFailure(
    error: unknown,
    options: {
      timeout: AbortSignal;
      deploymentSignal: AbortSignal;
      progress: Progress;
    },
  ): Promise<string> {
    const { timeout, deploymentSignal, progress } = options;
    if (deploymentSignal.aborted) {
      // The run is left alone: a backend that stops does not mean the
      // deployment should, and a half-cancelled deployment is worse.
      return progress.run
        ? `${ABORTED_MESSAGE} while ${progress.description} run #${progress.run.run_number} was ${progress.run.status}`
        : ABORTED_MESSAGE;
    }
    if (timeout.aborted) {
      const within = describeDuration(this.settings.timeoutMs);
      const lastError = progress.lastError
        ? ` (last read failed: ${progress.lastError})`
        : '';
      if (!progress.run) {
        return `no run of ${progress.description} appeared within ${within} of the dispatch${lastError}`;
      }
      return `${progress.description}: run #${
        progress.run.run_number
      } did not complete within ${within} (status: ${
        progress.run.status
      })${lastError}; ${await this.cancel(progress)}`;
    }
    return (error as Error)?.message ?? String(error);
  }

  /** Cancels a run that outlived the timeout, so that it cannot deploy after the deployment failed. */
  private async cancel(progress: Progress): Promise<string> {
    const { api, run } = progress;
    try {
      await api!.post(api!.repoPath('actions', 'runs', run!.id, 'cancel'), {
        signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS),
      });
      return 'cancelled it';
    } catch (error) {
      return `cancelling it failed: ${(error as Error)?.message ?? error}`;
    }
  }
}

function render<T extends string | Record<string, string>>(
  template: T,
  context: TemplateContext,
  key: string,
): T {
  try {
    return (
      typeof template === 'string'
        ? renderTemplate(template, context)
        : renderTemplates(template, context)
    ) as T;
  } catch (error) {
    throw new DeploymentFailure(
      `${key}: ${(error as Error)?.message ?? error}`,
    );
  }
}

/**
 * Runs a request whose refusal ends the deployment, with `failure` and what
 * to check in the message.
 */
async function refused<T>(
  failure: string,
  api: GithubApi,
  request: () => Promise<T>,
): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (!(error instanceof GithubRequestError)) {
      throw error;
    }
    throw new DeploymentFailure(
      `${failure}: ${error.message}${accessHint(error.status, api)}`,
    );
  }
}

/** What to check when GitHub refuses a request. */
function accessHint(status: number | undefined, api: GithubApi): string {
  switch (status) {
    case 401:
      return '; check the token or GitHub App of integrations.github for this host';
    case 403:
      return `; the token or GitHub App needs the actions: write permission on ${api.repositoryUrl}`;
    case 404:
      return `; the repository or the workflow does not exist, or the credentials cannot see ${api.repositoryUrl} (they need actions: write)`;
    default:
      return '';
  }
}

/** The output kept on the deployment. */
function describeRun(run: WorkflowRun): string {
  return `run #${run.run_number} (id ${run.id}): ${run.status}${
    run.conclusion ? ` (${run.conclusion})` : ''
  }\n${run.html_url}`;
}
