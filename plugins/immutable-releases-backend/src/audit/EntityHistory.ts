import { NotFoundError } from '@backstage/errors';
import {
  ChainVerification,
  Deployment,
  Page,
  RecordedReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { DeploymentFilter } from '../database/DeploymentStore';
import { EventPageRequest } from '../database/EventStore';
import { PageRequest } from '../database/pagination';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import {
  EntityPipelines,
  findEnvironment,
  normalizeEntityRef,
} from '../pipelines/EntityPipelines';

/** What happened to an entity: its deployments and its audit events. */
export class EntityHistory {
  constructor(
    private readonly options: {
      db: ReleasesDatabase;
      entities: EntityPipelines;
    },
  ) {}

  async getDeployment(deploymentId: string): Promise<Deployment> {
    const deployment = await this.options.db.deployments.getDeployment(
      deploymentId,
    );
    if (!deployment) {
      throw new NotFoundError(`deployment ${deploymentId} does not exist`);
    }
    return deployment;
  }

  async listDeployments(
    entityRef: string,
    filter: DeploymentFilter & PageRequest,
  ): Promise<Page<Deployment>> {
    if (filter.environment !== undefined) {
      const { pipeline } = await this.options.entities.resolve(entityRef);
      findEnvironment(pipeline, filter.environment);
    }
    return this.options.db.deployments.listDeployments(
      normalizeEntityRef(entityRef),
      filter,
    );
  }

  async listEvents(
    entityRef: string,
    page: EventPageRequest,
  ): Promise<Page<RecordedReleaseEvent>> {
    return this.options.db.events.listEvents(
      normalizeEntityRef(entityRef),
      page,
    );
  }

  /** Recomputes the entity's audit hash chain. */
  async verifyEvents(entityRef: string): Promise<ChainVerification> {
    return this.options.db.events.verifyChain(normalizeEntityRef(entityRef));
  }
}
