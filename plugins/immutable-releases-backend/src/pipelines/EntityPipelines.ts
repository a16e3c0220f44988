import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DEFAULT_PIPELINE_NAME,
  PIPELINE_ANNOTATION,
} from 'backstage-plugin-immutable-releases-common';
import { EnvironmentDefinition, PipelineDefinition } from './pipelineConfig';
import { RecentAnswers } from './RecentAnswers';

export interface ResolvedEntity {
  /** The full, lower-cased `kind:namespace/name`. */
  entityRef: string;
  pipeline: PipelineDefinition;
}

const LOOKUP_MEMORY_MS = 5_000;
const LOOKUP_MEMORY_SIZE = 10_000;

/** The canonical form of an entity ref: full and lower-cased. */
export function normalizeEntityRef(ref: string, field = 'entityRef'): string {
  let compound;
  try {
    compound = parseEntityRef(ref);
  } catch (error) {
    throw new InputError(
      `${field} must be an entity ref like component:default/my-service, got '${ref}'`,
      error as Error,
    );
  }
  // The catalog lower-cases with toLocaleLowerCase('en-US'); English has no
  // casing rules of its own, so toLowerCase answers the same, many times
  // faster, on a path every request takes.
  return stringifyEntityRef(compound).toLowerCase();
}

/** Finds an entity in the catalog and the pipeline its annotation names. */
export class EntityPipelines {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly pipelines: ReadonlyMap<string, PipelineDefinition>,
    private readonly requireCatalogEntity: boolean,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Catalog answers of the last few seconds, by entity ref. A CI burst
   * registers and promotes the same entities over and over, and people page
   * back and forth through the fleet; each lookup is an authenticated HTTP
   * call to the catalog, so a short memory pays off. An entity removed from
   * the catalog is noticed after at most this long.
   */
  private readonly recentLookups = new RecentAnswers<Entity | undefined>({
    ttlMs: LOOKUP_MEMORY_MS,
    maxSize: LOOKUP_MEMORY_SIZE,
    clock: () => this.clock(),
  });
  /** The same for lookups of several entities, which read fewer fields. */
  private readonly recentPartialLookups = new RecentAnswers<Entity | undefined>(
    {
      ttlMs: LOOKUP_MEMORY_MS,
      maxSize: LOOKUP_MEMORY_SIZE,
      clock: () => this.clock(),
    },
  );

  private lookUp(entityRef: string): Promise<Entity | undefined> {
    const remembered = this.recentLookups.get(entityRef);
    if (remembered) {
      return remembered;
    }
    const entity = this.auth
      .getOwnServiceCredentials()
      .then(credentials =>
        this.catalog.getEntityByRef(entityRef, { credentials }),
      );
    this.recentLookups.remember(entityRef, entity);
    return entity;
  }

  /**
   * Several catalog entities, those not in the short memory in one request,
   * with only `fields` (always the same fields: the memory keeps them).
   */
  async lookUpMany(
    entityRefs: string[],
    fields: string[],
  ): Promise<Map<string, Entity>> {
    // The answers are kept here, not read back from the memory: remembering
    // can make it forget everything else when it is full.
    const answers = new Map<string, Promise<Entity | undefined>>();
    for (const ref of entityRefs) {
      const remembered = this.recentPartialLookups.get(ref);
      if (remembered) {
        answers.set(ref, remembered);
      }
    }
    const missing = [...new Set(entityRefs)].filter(ref => !answers.has(ref));
    if (missing.length > 0) {
      const request = this.auth
        .getOwnServiceCredentials()
        .then(credentials =>
          this.catalog.getEntitiesByRefs(
            { entityRefs: missing, fields },
            { credentials },
          ),
        );
      missing.forEach((ref, index) => {
        const answer = request.then(({ items }) => items[index] ?? undefined);
        answers.set(ref, answer);
        this.recentPartialLookups.remember(ref, answer);
      });
    }
    const entities = await Promise.all(entityRefs.map(ref => answers.get(ref)));
    const found = new Map<string, Entity>();
    entityRefs.forEach((ref, index) => {
      const entity = entities[index];
      if (entity) {
        found.set(ref, entity);
      }
    });
    return found;
  }

  /** The pipeline an entity follows, by its annotation; undefined when not configured. */
  pipelineOf(entity: Entity | undefined): PipelineDefinition | undefined {
    return this.pipelines.get(
      entity?.metadata.annotations?.[PIPELINE_ANNOTATION] ??
        DEFAULT_PIPELINE_NAME,
    );
  }

  /** Whether an entity outside the catalog is still one of ours (`requireCatalogEntity: false`). */
  acceptsEntitiesOutsideCatalog(): boolean {
    return !this.requireCatalogEntity;
  }

  async resolve(ref: string): Promise<ResolvedEntity> {
    const entityRef = normalizeEntityRef(ref);
    const entity = await this.lookUp(entityRef);
    if (!entity && this.requireCatalogEntity) {
      throw new NotFoundError(`entity ${entityRef} is not in the catalog`);
    }
    const annotated = entity?.metadata.annotations?.[PIPELINE_ANNOTATION];
    const pipelineName = annotated ?? DEFAULT_PIPELINE_NAME;
    const pipeline = this.pipelines.get(pipelineName);
    if (!pipeline) {
      throw new ConflictError(
        annotated
          ? `pipeline '${annotated}', named by the annotation ${PIPELINE_ANNOTATION} of ${entityRef}, is not configured under immutableReleases.pipelines (configured: ${this.configuredNames()})`
          : `${entityRef} has no ${PIPELINE_ANNOTATION} annotation and no pipeline '${DEFAULT_PIPELINE_NAME}' is configured under immutableReleases.pipelines (configured: ${this.configuredNames()}): annotate the entity with the pipeline it follows`,
      );
    }
    return { entityRef, pipeline };
  }

  /**
   * The catalog entity, or, when it is not in the catalog, an entity with
   * only the kind, namespace and name its ref gives.
   */
  async getEntity(entityRef: string): Promise<Entity> {
    const entity = await this.lookUp(entityRef);
    if (entity) {
      return entity;
    }
    const { kind, namespace, name } = parseEntityRef(entityRef);
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name, namespace },
    };
  }

  getPipeline(name: string, entityRef?: string): PipelineDefinition {
    const pipeline = this.pipelines.get(name);
    if (!pipeline) {
      throw new ConflictError(
        `pipeline '${name}'${
          entityRef ? ` (named by ${entityRef})` : ''
        } is not configured under immutableReleases.pipelines (configured: ${this.configuredNames()})`,
      );
    }
    return pipeline;
  }

  private configuredNames(): string {
    return [...this.pipelines.keys()].join(', ') || 'none';
  }
}

export function findEnvironment(
  pipeline: PipelineDefinition,
  name: string,
): EnvironmentDefinition {
  const environment = pipeline.environments.find(e => e.name === name);
  if (!environment) {
    throw new InputError(
      `environment '${name}' is not in pipeline '${
        pipeline.name
      }' (${pipeline.environments.map(e => e.name).join(', ')})`,
    );
  }
  return environment;
}
