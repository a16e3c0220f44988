import immutableReleasesPlugin from './alpha';

describe('immutable-releases for the new frontend system', () => {
  it('is the plugin immutable-releases with its API, tab, cards and scaffolder field', () => {
    expect(immutableReleasesPlugin.pluginId).toBe('immutable-releases');
    expect(
      immutableReleasesPlugin.getExtension('api:immutable-releases'),
    ).toBeDefined();
    expect(
      immutableReleasesPlugin.getExtension('entity-content:immutable-releases'),
    ).toBeDefined();
    for (const card of ['drift', 'rollback', 'delivery-metrics'] as const) {
      expect(
        immutableReleasesPlugin.getExtension(
          `entity-card:immutable-releases/${card}`,
        ),
      ).toBeDefined();
    }
    expect(
      immutableReleasesPlugin.getExtension(
        'scaffolder-form-field:immutable-releases/release-picker',
      ),
    ).toBeDefined();
  });
});
