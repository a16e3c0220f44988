import { Entity } from '@backstage/catalog-model';
import { ownersOf } from './entityOwners';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { type: 'service', owner: 'payments' },
};

describe('ownersOf', () => {
  it('reads spec.owner as a group in the entity namespace unless it says otherwise', () => {
    expect(ownersOf(checkout)).toEqual(['group:default/payments']);
    expect(
      ownersOf({
        ...checkout,
        metadata: { name: 'checkout', namespace: 'shop' },
        spec: { owner: 'user:alice' },
      }),
    ).toEqual(['user:shop/alice']);
    expect(ownersOf({ ...checkout, spec: {} })).toEqual([]);
  });
});
