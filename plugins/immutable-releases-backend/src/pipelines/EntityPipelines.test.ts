import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EntityPipelines, normalizeEntityRef } from './EntityPipelines';
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

/** The default pipeline's resolver over `catalog`, requiring catalog entities. */
const pipelinesOver = (
  catalog: ReturnType<typeof catalogServiceMock>,
  clock = () => 0,
) => new EntityPipelines(catalog, mockServices.auth(), pipelines, true, clock);

describe('normalizeEntityRef', () => {
  it('lower-cases a ref as the catalog does, letters beyond ASCII too', () => {
    for (const ref of [
      'Component:Default/Checkout',
      'component:ÉQUIPE/İstanbul-Σ',
      'Group:default/ΣΊΣΥΦΟΣ',
    ]) {
      expect(normalizeEntityRef(ref)).toBe(ref.toLocaleLowerCase('en-US'));
    }
    expect(normalizeEntityRef('Component:Checkout')).toBe(
      'component:default/checkout',
    );
  });
});

describe('EntityPipelines', () => {
  it('finds every entity of a lookup of many while its short memory overflows', async () => {
    const catalog = catalogServiceMock();
    jest
      .spyOn(catalog, 'getEntitiesByRefs')
      .mockImplementation(async ({ entityRefs }) => ({
        items: entityRefs.map(ref => ({
          ...checkout,
          metadata: { ...checkout.metadata, name: ref.split('/')[1] },
        })),
      }));
    const entities = pipelinesOver(catalog);
    const refs = (from: number, count: number) =>
      Array.from(
        { length: count },
        (_, i) => `component:default/service-${from + i}`,
      );

    // A fleet walked page after page, faster than the memory forgets.
    expect((await entities.lookUpMany(refs(0, 9_990), [])).size).toBe(9_990);
    const page = refs(9_990, 51);
    expect([...(await entities.lookUpMany(page, [])).keys()]).toEqual(page);
  });

  it('asks the catalog once per entity within a few seconds, then again', async () => {
    let now = 0;
    const catalog = catalogServiceMock({ entities: [checkout] });
    const lookups = jest.spyOn(catalog, 'getEntityByRef');
    const entities = pipelinesOver(catalog, () => now);

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
    const entities = pipelinesOver(catalog);

    await expect(
      entities.resolve('component:default/checkout'),
    ).rejects.toThrow('catalog unavailable');
    await expect(
      entities.resolve('component:default/checkout'),
    ).resolves.toMatchObject({ pipeline: { name: 'default' } });
    expect(lookups).toHaveBeenCalledTimes(2);
  });

  it('names the annotation when an entity follows no configured pipeline', async () => {
    const unannotated: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'payments' },
    };
    const misannotated: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'billing',
        annotations: { 'immutable-releases/pipeline': 'edge' },
      },
    };
    const entities = new EntityPipelines(
      catalogServiceMock({ entities: [unannotated, misannotated] }),
      mockServices.auth(),
      new Map([
        ['services', { ...pipelines.get('default')!, name: 'services' }],
      ]),
      true,
    );

    await expect(
      entities.resolve('component:default/payments'),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        "component:default/payments has no immutable-releases/pipeline annotation and no pipeline 'default' is configured under immutableReleases.pipelines (configured: services): annotate the entity with the pipeline it follows",
    });
    await expect(
      entities.resolve('component:default/billing'),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        "pipeline 'edge', named by the annotation immutable-releases/pipeline of component:default/billing, is not configured under immutableReleases.pipelines (configured: services)",
    });
  });
});
