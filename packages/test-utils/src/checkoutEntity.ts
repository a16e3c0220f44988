import type { Entity } from '@backstage/catalog-model';

/** The entity the {@link ReleasesTestClient} registers releases of. */
export const CHECKOUT_ENTITY_REF = 'component:default/checkout';

/** {@link CHECKOUT_ENTITY_REF}: a production service of group:default/payments. */
export function checkoutEntity(
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'checkout', namespace: 'default', annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
    },
  };
}
