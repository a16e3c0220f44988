import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityPipelines } from './EntityPipelines';
import { PipelineDefinition } from './pipelineConfig';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout',
    annotations: { 'immutable-releases/pipeline': 'default' },
  },
};

const pipelines = new Map<string, PipelineDefinition>([
  ['default', { name: 'default', queue: 'newest-wins', environments: [] }],
]);

describe('EntityPipelines', () => {
  it('asks the catalog once per entity within a few seconds, then again', async () => {
    let now = 0;
    const catalog = catalogServiceMock({ entities: [checkout] });
    const lookups = jest.spyOn(catalog, 'getEntityByRef');
    const entities = new EntityPipelines(
      catalog,
      mockServices.auth(),
      pipelines,
      true,
      () => now,
    );

    await Promise.all([
      entities.resolve('component:default/checkout'),
      entities.resolve('Component:default/Checkout'),
      entities.getEntity('component:default/checkout'),
    ]);
    expect(lookups).toHaveBeenCalledTimes(1);

    now += 4_000;
    await entities.resolve('component:default/checkout');
    expect(lookups).toHaveBeenCalledTimes(1);

    now += 2_000;
    await expect(
      entities.resolve('component:default/checkout'),
    ).resolves.toMatchObject({ entityRef: 'component:default/checkout' });
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('does not remember a failed lookup', async () => {
    const catalog = catalogServiceMock({ entities: [checkout] });
    const lookups = jest
      .spyOn(catalog, 'getEntityByRef')
      .mockRejectedValueOnce(new Error('catalog unavailable'));
    const entities = new EntityPipelines(
      catalog,
      mockServices.auth(),
      pipelines,
      true,
      () => 0,
    );

    await expect(
      entities.resolve('component:default/checkout'),
    ).rejects.toThrow('catalog unavailable');
    await expect(
      entities.resolve('component:default/checkout'),
    ).resolves.toMatchObject({ pipeline: { name: 'default' } });
    expect(lookups).toHaveBeenCalledTimes(2);
  });
});
