import {
  EnvironmentsResponse,
  EnvironmentStatus,
} from 'backstage-plugin-immutable-releases-common';
import { environmentKeyId } from '../database/ObservationStore';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { ObservationService } from '../drift/ObservationService';
import { EntityPipelines } from '../pipelines/EntityPipelines';

/**
 * What each environment of an entity runs, what waits for it, its hold and
 * its drift: the pipeline strip's one request.
 */
export class EnvironmentsView {
  constructor(
    private readonly options: {
      db: ReleasesDatabase;
      entities: EntityPipelines;
      observations: ObservationService;
    },
  ) {}

  async describe(entityRef: string): Promise<EnvironmentsResponse> {
    const { db, entities, observations } = this.options;
    const resolved = await entities.resolve(entityRef);
    const keys = resolved.pipeline.environments.map(environment => ({
      entityRef: resolved.entityRef,
      environment: environment.name,
    }));
    const [holds, deployments, driftOf] = await Promise.all([
      db.holds.getHolds(resolved.entityRef),
      db.deployments.describeEnvironments(keys),
      observations.loadDrift(keys),
    ]);
    const environments = resolved.pipeline.environments.map(
      (environment, index): EnvironmentStatus => {
        const { current, latestStarted, pending } = deployments.get(
          environmentKeyId(keys[index]),
        )!;
        return {
          name: environment.name,
          from: environment.from,
          currentRelease: current
            ? {
                ...current.release,
                revoked: current.release.revoked ?? false,
                deploymentId: current.id,
              }
            : null,
          currentDeployment: latestStarted ?? null,
          pendingDeployments: pending,
          drift: driftOf(keys[index], current?.release.artifact.digest ?? null),
          hold: holds.get(environment.name) ?? null,
        };
      },
    );
    return { pipeline: resolved.pipeline.name, environments };
  }
}
