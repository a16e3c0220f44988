import { createTestDatabases } from '@internal/test-utils';
import { configWith } from '../__testUtils__/promotionScenario';
import {
  createTestEngine,
  digestOf,
  testEntity,
  writeDeployScript,
} from '../__testUtils__/testEngine';

jest.setTimeout(60_000);

const databases = createTestDatabases();
/** More entities than one round of the fleet reads. */
const FLEET_SIZE = 130;
const nameOf = (i: number) => `svc-${String(i).padStart(3, '0')}`;

describe.each(databases.eachSupportedId())('FleetView on %p', databaseId => {
  const deploy = writeDeployScript();

  async function fleetOf130() {
    const engine = await createTestEngine({
      knex: await databases.init(databaseId),
      // No automatic promotion: nothing runs in the background.
      config: configWith(deploy.script, 'development', { autoPromote: false }),
      entities: Array.from({ length: FLEET_SIZE }, (_, i) =>
        testEntity(nameOf(i), 'default'),
      ),
    });
    for (let i = 0; i < FLEET_SIZE; i++) {
      await engine.registry.register(
        {
          entityRef: `component:default/${nameOf(i)}`,
          version: '1.0.0',
          artifact: {
            type: 'oci-image',
            uri: `ghcr.io/acme/${nameOf(i)}`,
            digest: digestOf(`${nameOf(i)}-1.0.0`),
          },
        },
        'ci-pipeline',
      );
    }
    return engine;
  }

  it('pages through more entities than one round, and finds the few that match past the first round', async () => {
    const engine = await fleetOf130();
    await engine.observations.ingest(
      engine.observations.parse([
        {
          entityRef: `component:default/${nameOf(117)}`,
          environment: 'production',
          digest: digestOf('hand-patched'),
        },
      ]),
      'ci-pipeline',
    );

    const seen: string[] = [];
    let cursor: string | undefined;
    const pageSizes: number[] = [];
    do {
      const page = await engine.fleet.list({}, { limit: 50, cursor });
      pageSizes.push(page.items.length);
      seen.push(...page.items.map(e => e.entityRef));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pageSizes).toEqual([50, 50, 30]);
    expect(seen).toEqual(
      Array.from(
        { length: FLEET_SIZE },
        (_, i) => `component:default/${nameOf(i)}`,
      ),
    );

    const unmanaged = await engine.fleet.list(
      { drift: ['unmanaged'] },
      { limit: 50 },
    );
    expect(unmanaged).toEqual({
      items: [
        expect.objectContaining({
          entityRef: `component:default/${nameOf(117)}`,
        }),
      ],
      nextCursor: null,
    });
  });
});
