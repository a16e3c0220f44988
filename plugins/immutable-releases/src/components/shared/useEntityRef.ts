import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';

/** The full ref of the entity of the current page, e.g. `component:default/shop`. */
export function useEntityRef(): string {
  const { entity } = useEntity();
  return stringifyEntityRef(entity);
}
