import { InputError } from '@backstage/errors';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  DriftStatus,
  FleetEntity,
  Page,
} from 'backstage-plugin-immutable-releases-common';
import { environmentKeyId } from '../database/ObservationStore';
import {
  decodeEntityCursor,
  encodeEntityCursor,
  fillPageInRounds,
  pageLimit,
} from '../database/pagination';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { ObservationService } from '../drift/ObservationService';
import { EntityPipelines } from '../pipelines/EntityPipelines';
import { ownersOf } from '../pipelines/entityOwners';
import { PipelineDefinition } from '../pipelines/pipelineConfig';

/** The most entities read in one round while filling a page. */
const MAX_ROUND_SIZE = 400;

/** What the fleet reads of an entity: its pipeline annotation and owners. */
const CATALOG_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
  'spec.owner',
  'relations',
];

export interface FleetFilter {
  /** Keep entities with at least one environment in one of these statuses. */
  drift?: DriftStatus[];
  /** Keep entities this user or group owns. */
  owner?: string;
  /** Keep entities that follow this pipeline. */
  pipeline?: string;
}

/**
 * The fleet: every entity with releases, each environment's current
 * release, drift, hold and pending count, in entity ref order; read in
 * rounds, a round's environments in a few statements whatever its size.
 */
export class FleetView {
  constructor(
    private readonly options: {
      db: ReleasesDatabase;
      entities: EntityPipelines;
      observations: ObservationService;
    },
  ) {}

  async list(
    filter: FleetFilter,
    page: { limit?: number; cursor?: string },
  ): Promise<Page<FleetEntity>> {
    const owner = filter.owner ? ownerRefOf(filter.owner) : undefined;
    const { items, next } = await fillPageInRounds({
      limit: pageLimit(page.limit),
      after: decodeEntityCursor(page.cursor),
      maxRound: MAX_ROUND_SIZE,
      read: (after, size) =>
        this.options.db.releases.listEntitiesWithReleases({
          after,
          limit: size,
        }),
      keep: async refs => {
        const round = await this.describe(
          await this.selectByCatalog(refs, { ...filter, owner }),
        );
        return round
          .filter(entity => matchesDrift(entity, filter.drift))
          .map(entity => ({ row: entity.entityRef, item: entity }));
      },
      positionOf: entityRef => entityRef,
    });
    return {
      items,
      nextCursor: next === undefined ? null : encodeEntityCursor(next),
    };
  }

  /** The entities of a round that the catalog knows (or may lack), with their pipeline, kept by owner and pipeline. */
  private async selectByCatalog(
    refs: string[],
    filter: { owner?: string; pipeline?: string },
  ): Promise<Array<{ entityRef: string; pipeline: PipelineDefinition }>> {
    const { entities } = this.options;
    const found = await entities.lookUpMany(refs, CATALOG_FIELDS);
    return refs.flatMap(entityRef => {
      const entity = found.get(entityRef);
      if (!entity && !entities.acceptsEntitiesOutsideCatalog()) {
        return [];
      }
      const pipeline = entities.pipelineOf(entity);
      if (
        !pipeline ||
        (filter.pipeline && pipeline.name !== filter.pipeline) ||
        (filter.owner && (!entity || !ownerRefsOf(entity).has(filter.owner)))
      ) {
        return [];
      }
      return [{ entityRef, pipeline }];
    });
  }

  private async describe(
    selected: Array<{ entityRef: string; pipeline: PipelineDefinition }>,
  ): Promise<FleetEntity[]> {
    const { db, observations } = this.options;
    const keys = selected.flatMap(({ entityRef, pipeline }) =>
      pipeline.environments.map(environment => ({
        entityRef,
        environment: environment.name,
      })),
    );
    if (keys.length === 0) {
      return [];
    }
    const [deployments, driftOf, holds] = await Promise.all([
      db.deployments.summarizeEnvironments(keys),
      observations.loadDrift(keys),
      db.holds.getHoldsOfEntities(selected.map(s => s.entityRef)),
    ]);
    return selected.map(({ entityRef, pipeline }) => ({
      entityRef,
      pipeline: pipeline.name,
      environments: pipeline.environments.map(environment => {
        const key = { entityRef, environment: environment.name };
        const { current, pendingCount } = deployments.get(
          environmentKeyId(key),
        )!;
        return {
          name: environment.name,
          currentRelease: current
            ? { id: current.id, version: current.version }
            : null,
          drift: { status: driftOf(key, current?.digest ?? null).status },
          held: holds.get(entityRef)?.has(environment.name) ?? false,
          pendingCount,
        };
      }),
    }));
  }
}

function matchesDrift(entity: FleetEntity, drift?: DriftStatus[]): boolean {
  return (
    !drift ||
    drift.length === 0 ||
    entity.environments.some(e => drift.includes(e.drift.status))
  );
}

/** An owner ref as the catalog's relations spell it; a bare name is a group. */
function ownerRefOf(owner: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(owner, {
        defaultKind: 'group',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(`owner must be an entity ref, got '${owner}'`);
  }
}

/** Who owns the entity: its ownedBy relations, else its spec.owner. */
function ownerRefsOf(entity: Entity): Set<string> {
  const related = (entity.relations ?? [])
    .filter(relation => relation.type === RELATION_OWNED_BY)
    .map(relation => relation.targetRef.toLocaleLowerCase('en-US'));
  if (related.length > 0) {
    return new Set(related);
  }
  return new Set(
    ownersOf(entity).map(owner => owner.toLocaleLowerCase('en-US')),
  );
}
