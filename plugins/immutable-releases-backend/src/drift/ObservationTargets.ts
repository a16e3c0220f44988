import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DEFAULT_PIPELINE_NAME,
  PIPELINE_ANNOTATION,
} from 'backstage-plugin-immutable-releases-common';
import { ObservationTarget } from 'backstage-plugin-immutable-releases-node';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { normalizeEntityRef } from '../pipelines/EntityPipelines';
import { PipelineDefinition } from '../pipelines/pipelineConfig';

/** An entity as observations see it: the catalog entity (if any) and its pipeline name. */
export interface ObservedEntityInfo {
  entity: Entity | undefined;
  pipelineName: string;
}

const CATALOG_PAGE = 500;

/**
 * Finds the entities observations are about: in batches for reports, and
 * every entity environment a polled source should look at.
 */
export class ObservationTargets {
  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
    db: ReleasesDatabase;
    pipelines: ReadonlyMap<string, PipelineDefinition>;
  }): ObservationTargets {
    return new ObservationTargets(
      options.catalog,
      options.auth,
      options.db,
      options.pipelines,
    );
  }

  private constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
    private readonly db: ReleasesDatabase,
    private readonly pipelines: ReadonlyMap<string, PipelineDefinition>,
  ) {}

  /** Looks the (normalized) refs up in the catalog in one request. */
  async lookUp(entityRefs: string[]): Promise<Map<string, ObservedEntityInfo>> {
    const found = new Map<string, ObservedEntityInfo>();
    if (entityRefs.length === 0) {
      return found;
    }
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    entityRefs.forEach((entityRef, index) => {
      const entity = items[index] ?? undefined;
      found.set(entityRef, {
        entity,
        pipelineName:
          entity?.metadata.annotations?.[PIPELINE_ANNOTATION] ??
          DEFAULT_PIPELINE_NAME,
      });
    });
    return found;
  }

  /**
   * Every environment of every catalog entity that uses the plugin (it has
   * the pipeline annotation or a release) whose pipeline has one of
   * `environments` (default: any), optionally only on `pipeline`.
   */
  async list(filter: {
    environments?: string[];
    pipeline?: string;
  }): Promise<ObservationTarget[]> {
    const pipelines = [...this.pipelines.values()].filter(
      p =>
        (!filter.pipeline || p.name === filter.pipeline) &&
        (!filter.environments ||
          p.environments.some(e => filter.environments!.includes(e.name))),
    );
    if (pipelines.length === 0) {
      return [];
    }
    const pipelineNames = new Set(pipelines.map(p => p.name));
    const entities = new Map<string, Entity>();
    for (const entity of await this.annotatedEntities([...pipelineNames])) {
      entities.set(normalizeEntityRef(stringifyEntityRef(entity)), entity);
    }
    const withReleases = (
      await this.db.observations.listEntitiesWithReleases()
    ).filter(ref => !entities.has(ref));
    for (const [ref, info] of await this.lookUp(withReleases)) {
      if (info.entity && pipelineNames.has(info.pipelineName)) {
        entities.set(ref, info.entity);
      }
    }

    const artifactUris = await this.db.observations.artifactUris([
      ...entities.keys(),
    ]);
    const targets: ObservationTarget[] = [];
    for (const [entityRef, entity] of [...entities].sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      const pipelineName =
        entity.metadata.annotations?.[PIPELINE_ANNOTATION] ??
        DEFAULT_PIPELINE_NAME;
      const pipeline = this.pipelines.get(pipelineName);
      for (const environment of pipeline?.environments ?? []) {
        if (
          !filter.environments ||
          filter.environments.includes(environment.name)
        ) {
          targets.push({
            entity,
            entityRef,
            pipeline: pipelineName,
            environment: environment.name,
            artifactUris: artifactUris.get(entityRef) ?? [],
          });
        }
      }
    }
    return targets;
  }

  private async annotatedEntities(pipelineNames: string[]): Promise<Entity[]> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const entities: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.catalog.queryEntities(
        cursor
          ? { cursor, limit: CATALOG_PAGE }
          : {
              filter: {
                [`metadata.annotations.${PIPELINE_ANNOTATION}`]: pipelineNames,
              },
              limit: CATALOG_PAGE,
            },
        { credentials },
      );
      entities.push(...page.items);
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return entities;
  }
}
