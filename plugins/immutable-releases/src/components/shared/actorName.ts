import { parseEntityRef } from '@backstage/catalog-model';

/** The actor of what the backend does by itself (automatic promotions, the runner). */
export const ENGINE_ACTOR = 'plugin:immutable-releases';

/**
 * How an actor reads on screen: `user:default/alice` → `alice`, `external:ci` → `ci`, the
 * engine → `automation`.
 */
export function actorName(actor: string): string {
  if (actor === ENGINE_ACTOR) {
    return 'automation';
  }
  if (/^(user|group):/.test(actor)) {
    try {
      const { namespace, name } = parseEntityRef(actor);
      return namespace === 'default' ? name : `${namespace}/${name}`;
    } catch {
      return actor;
    }
  }
  // Service subjects: `external:ci`, `plugin:scaffolder`.
  return actor.replace(/^(external|plugin):/, '');
}
