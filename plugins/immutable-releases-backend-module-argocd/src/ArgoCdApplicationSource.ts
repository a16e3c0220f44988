import {
  ObservationSource,
  ObservationTarget,
  PolledObservationContext,
} from 'backstage-plugin-immutable-releases-node';
import { applicationNameOf } from './applicationName';
import { ArgoCdClient } from './ArgoCdClient';
import { Application } from './argoCdTypes';
import { ArgoCdDriftSettings } from './driftSettings';
import { summaryDigests } from './summaryImages';

/** How long one run may take in all, whatever the number of targets. */
const RUN_TIMEOUT = { minutes: 5 };

/**
 * Observes which digest runs in an environment from what Argo CD reports of
 * each entity's Application (`status.summary.images`): one GET per target.
 */
export class ArgoCdApplicationSource {
  static create(settings: ArgoCdDriftSettings): ObservationSource {
    const client = new ArgoCdClient(settings.connection);
    const source = new ArgoCdApplicationSource(settings, client);
    return {
      id: settings.id,
      // Closes the kept-alive connections to Argo CD.
      stop: async () => client.destroy(),
      poll: {
        schedule: {
          frequency: { milliseconds: settings.frequencyMs },
          timeout: RUN_TIMEOUT,
        },
        environments: [settings.environment],
        ...(settings.pipeline ? { pipeline: settings.pipeline } : {}),
        observe: context => source.observe(context),
      },
    };
  }

  private constructor(
    private readonly settings: ArgoCdDriftSettings,
    private readonly client: ArgoCdClient,
  ) {}

  async observe(context: PolledObservationContext): Promise<void> {
    for (const target of context.targets) {
      if (context.signal.aborted) {
        return;
      }
      try {
        await this.observeTarget(target, context);
      } catch (error) {
        await context.sink.reportError({
          entityRef: target.entityRef,
          environment: target.environment,
          message: (error as Error).message,
        });
      }
    }
  }

  /** Throws with the message to keep as the environment's observation error. */
  private async observeTarget(
    target: ObservationTarget,
    context: PolledObservationContext,
  ): Promise<void> {
    if (target.artifactUris.length === 0) {
      throw new Error(
        'the entity has no release yet, so no image repository to look for',
      );
    }
    const name = applicationNameOf(
      this.settings.connection.application,
      target.entity,
      target.environment,
    );
    const application = await this.client.request<Application>(
      'GET',
      `/api/v1/applications/${encodeURIComponent(name)}`,
      { signal: context.signal },
    );
    const found = summaryDigests(
      application.status?.summary?.images ?? [],
      target.artifactUris,
    );
    const repositories = target.artifactUris.join(' or ');
    if ('error' in found) {
      throw new Error(
        found.error === 'no-image'
          ? `Argo CD application ${name} reports no image of ${repositories} (images: ${
              found.images.join(', ') || 'none'
            })`
          : `Argo CD application ${name} runs ${found.images.join(
              ', ',
            )}, which names no digest`,
      );
    }
    const [observed, ...others] = found.digests;
    if (others.length > 0) {
      context.logger.info(
        `${target.entityRef} in ${
          target.environment
        }: Argo CD application ${name} reports several digests of ${repositories} (${found.digests.join(
          ', ',
        )}); reporting ${observed}`,
      );
    }
    try {
      await context.sink.report([
        {
          entityRef: target.entityRef,
          environment: target.environment,
          digest: observed,
        },
      ]);
    } catch (error) {
      throw new Error(
        `observed ${observed} but could not record it: ${
          (error as Error).message
        }`,
        { cause: error },
      );
    }
  }
}
