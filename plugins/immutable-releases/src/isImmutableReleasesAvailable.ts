import { Entity } from '@backstage/catalog-model';
import { PIPELINE_ANNOTATION } from 'backstage-plugin-immutable-releases-common';

/**
 * Whether an entity shows the Immutable Releases tab and cards: true when it carries the
 * annotation `immutable-releases/pipeline`.
 *
 * @remarks
 * The backend also serves entities that have releases but no annotation (they use the
 * `default` pipeline). A synchronous filter cannot know about releases, so give such entities
 * the annotation (`immutable-releases/pipeline: default`) or use your own filter in
 * `EntitySwitch.Case`.
 *
 * @public
 */
export function isImmutableReleasesAvailable(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[PIPELINE_ANNOTATION]);
}
