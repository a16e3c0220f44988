import { LoggerService } from '@backstage/backend-plugin-api';
import { DeploymentStore } from '../database/DeploymentStore';

/**
 * The deployments a runner is carrying out in the background. While each
 * runs, the runner's claim on it is renewed; a claim lost to another runner
 * aborts the work.
 */
export class LeasedWork {
  private readonly running = new Map<
    string,
    { abort: AbortController; done: Promise<void> }
  >();

  constructor(
    private readonly options: {
      deployments: DeploymentStore;
      logger: LoggerService;
      clock: () => Date;
      leaseMs: number;
      /** Whose claims are renewed. */
      owner: string;
    },
  ) {}

  start(deploymentId: string, work: (signal: AbortSignal) => Promise<void>) {
    const { deployments, logger, clock, leaseMs, owner } = this.options;
    const abort = new AbortController();
    const heartbeat = setInterval(() => {
      const expiresAt = new Date(clock().getTime() + leaseMs).toISOString();
      deployments
        .renewLease(deploymentId, owner, expiresAt)
        .then(stillOurs => {
          if (!stillOurs) {
            abort.abort();
          }
        })
        .catch(error =>
          logger.warn(
            `Could not renew the claim on deployment ${deploymentId}`,
            error,
          ),
        );
    }, Math.max(50, Math.floor(leaseMs / 3)));
    const done = work(abort.signal)
      .catch(error =>
        logger.error(`Deployment ${deploymentId} crashed the runner`, error),
      )
      .finally(() => {
        clearInterval(heartbeat);
        this.running.delete(deploymentId);
      });
    this.running.set(deploymentId, { abort, done });
  }

  /** Waits until nothing runs any more. */
  async whenIdle(): Promise<void> {
    while (this.running.size > 0) {
      await Promise.all([...this.running.values()].map(run => run.done));
    }
  }

  /** Aborts everything that runs; `forget` also stops waiting for it. */
  abortAll(options?: { forget?: boolean }): void {
    for (const run of this.running.values()) {
      run.abort.abort();
    }
    if (options?.forget) {
      this.running.clear();
    }
  }
}
