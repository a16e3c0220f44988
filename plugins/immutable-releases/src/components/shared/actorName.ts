import { parseEntityRef } from '@backstage/catalog-model';

/**
 * How an actor reads on screen: a user of the default namespace by name (`alice`), any other
 * entity ref or principal as it is.
 */
export function actorName(actor: string): string {
  try {
    const ref = parseEntityRef(actor);
    if (ref.kind.toLowerCase() === 'user' && ref.namespace === 'default') {
      return ref.name;
    }
  } catch {
    // not an entity ref: a service principal or the engine
  }
  return actor;
}
