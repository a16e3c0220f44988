import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * The entity's owner (`spec.owner`) as a full ref: a group unless the ref
 * names another kind, in the entity's namespace unless it names another.
 */
export function ownersOf(entity: Entity): string[] {
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner) {
    return [];
  }
  try {
    return [
      stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
        }),
      ),
    ];
  } catch {
    return [];
  }
}
