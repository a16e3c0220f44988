import { LoggerService } from '@backstage/backend-plugin-api';
import { DeploymentExecutorResult } from 'backstage-plugin-immutable-releases-common';
import { DeploymentProgress } from 'backstage-plugin-immutable-releases-node';
import { DeploymentStore } from '../database/DeploymentStore';
import { OutputTail } from '../executors/OutputTail';

/**
 * The progress an executor reports on one running deployment: kept as the
 * deployment's `executor` field, written one report at a time in the order
 * they came, skipping a report that changes nothing.
 */
export class ProgressReports {
  private latest: DeploymentExecutorResult;
  private written: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: {
      deploymentId: string;
      owner: string;
      executor: { name: string; type: string };
      deployments: DeploymentStore;
      logger: LoggerService;
    },
  ) {
    this.latest = { ...options.executor };
    this.written = JSON.stringify(this.latest);
  }

  /** Keeps the report and writes it after the ones before it. */
  report(progress: DeploymentProgress): void {
    this.latest = this.withProgress(progress);
    const serialized = JSON.stringify(this.latest);
    if (serialized === this.written) {
      return;
    }
    this.written = serialized;
    const executor = this.latest;
    this.writing = this.writing.then(() =>
      this.options.deployments
        .recordProgress(this.options.deploymentId, this.options.owner, executor)
        .then(
          () => undefined,
          error =>
            this.options.logger.warn(
              `Could not record the progress of deployment ${this.options.deploymentId}: ${error}`,
            ),
        ),
    );
  }

  /** The executor field for the outcome: its url and output, else the last reported ones. */
  async settle(outcome: DeploymentProgress): Promise<DeploymentExecutorResult> {
    await this.writing;
    return this.withProgress(outcome);
  }

  private withProgress(progress: DeploymentProgress): DeploymentExecutorResult {
    const url = progress.url ?? this.latest.url;
    const output = progress.output ?? this.latest.output;
    const safeUrl = url && isWebUrl(url) ? url : undefined;
    if (url && !safeUrl) {
      this.options.logger.warn(
        `Executor ${this.options.executor.name} reported a link that is not http(s) for deployment ${this.options.deploymentId}; it is not kept`,
      );
    }
    return {
      ...this.options.executor,
      ...(safeUrl ? { url: safeUrl } : {}),
      ...(output ? { output: OutputTail.of(output) } : {}),
    };
  }
}

/** Only http(s) links are kept: a deployment's link is shown to people as a link. */
function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
