import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  Deployment,
  EnvironmentsResponse,
  freezeOverridePermission,
  GateResult,
  Page,
  PromotionRequest,
  promotionCreatePermission,
  Release,
  releaseReadPermission,
  RollbackRequest,
  rollbackCreatePermission,
} from 'backstage-plugin-immutable-releases-common';
import { EntityHistory } from '../audit/EntityHistory';
import { JsonText } from '../database/jsonColumns';
import { PageRequest } from '../database/pagination';
import { normalizeEntityRef } from '../pipelines/EntityPipelines';
import { EnvironmentsView } from '../promotions/EnvironmentsView';
import { PromotionRequests } from '../promotions/PromotionRequests';
import { ReleaseRegistry } from '../releases/ReleaseRegistry';
import { RequestAccess } from './RequestAccess';

/** A promotion that names its release by id, as the REST API does, or by version. */
export type PromotionOfReleaseOrVersion = Omit<
  PromotionRequest,
  'releaseId'
> & {
  releaseId?: string;
  version?: string;
};

/**
 * The operations that both the REST routes and the actions offer, each behind
 * the permission check it has whichever way it is asked for: a user needs the
 * same permissions, and a service credential is treated the same, in both.
 */
export class AuthorizedOperations {
  constructor(
    private readonly options: {
      access: RequestAccess;
      registry: ReleaseRegistry;
      promotions: PromotionRequests;
      environments: EnvironmentsView;
      history: EntityHistory;
    },
  ) {}

  async describeEnvironments(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<EnvironmentsResponse> {
    await this.options.access.authorize(credentials, releaseReadPermission);
    return this.options.environments.describe(entityRef);
  }

  async listReleases(
    credentials: BackstageCredentials,
    entityRef: string,
    query: PageRequest & { version?: string },
  ): Promise<Page<JsonText<Release>>> {
    await this.options.access.authorize(credentials, releaseReadPermission);
    return this.options.registry.listReleases(entityRef, query);
  }

  async getDeployment(
    credentials: BackstageCredentials,
    deploymentId: string,
  ): Promise<Deployment> {
    await this.options.access.authorize(credentials, releaseReadPermission);
    return this.options.history.getDeployment(deploymentId);
  }

  /**
   * Requests a promotion, or with `dryRun` only evaluates its gates. A failing
   * hard gate throws a `GatesFailedError` that carries the gates.
   */
  async requestPromotion(
    credentials: BackstageCredentials,
    request: PromotionOfReleaseOrVersion,
  ): Promise<{ deployment?: Deployment; gates: GateResult[] }> {
    const { access, promotions } = this.options;
    const requester = access.requesterOf(credentials);
    const entityRef = normalizeEntityRef(request.entityRef);
    await access.authorize(credentials, promotionCreatePermission, entityRef);
    const mayOverrideFreeze = request.override
      ? await access.isAllowed(credentials, freezeOverridePermission, entityRef)
      : false;
    const { version: _resolvedToReleaseId, ...promotion } = request;
    return promotions.promote(
      {
        ...promotion,
        releaseId: await this.releaseIdOf(entityRef, request),
      },
      { ...requester, mayOverrideFreeze },
    );
  }

  async requestRollback(
    credentials: BackstageCredentials,
    request: RollbackRequest,
  ): Promise<Deployment> {
    const { access, promotions } = this.options;
    const requester = access.requesterOf(credentials);
    const entityRef = normalizeEntityRef(request.entityRef);
    await access.authorize(credentials, rollbackCreatePermission, entityRef);
    return promotions.rollback(request, requester);
  }

  /** The id of the release a promotion names by id, by version, or by both when they agree. */
  private async releaseIdOf(
    entityRef: string,
    request: { releaseId?: string; version?: string },
  ): Promise<string> {
    const { releaseId, version } = request;
    if (version === undefined) {
      if (releaseId === undefined) {
        throw new InputError('releaseId or version is required');
      }
      return releaseId;
    }
    const release = await this.options.registry.findReleaseByVersion(
      entityRef,
      version,
    );
    if (!release) {
      throw new NotFoundError(`${entityRef} has no release ${version}`);
    }
    if (releaseId !== undefined && releaseId !== release.id) {
      throw new InputError(
        `releaseId ${releaseId} and version ${version} name different releases; give one of them`,
      );
    }
    return release.id;
  }
}
