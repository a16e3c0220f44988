import { Entity } from '@backstage/catalog-model';
import { isImmutableReleasesAvailable } from './isImmutableReleasesAvailable';

function entityWith(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'shop', annotations },
  };
}

describe('isImmutableReleasesAvailable', () => {
  it('is true for entities that name a pipeline', () => {
    expect(
      isImmutableReleasesAvailable(
        entityWith({ 'immutable-releases/pipeline': 'default' }),
      ),
    ).toBe(true);
  });

  it('is false for entities without the annotation', () => {
    expect(isImmutableReleasesAvailable(entityWith())).toBe(false);
    expect(
      isImmutableReleasesAvailable(
        entityWith({ 'backstage.io/techdocs-ref': 'dir:.' }),
      ),
    ).toBe(false);
  });
});
