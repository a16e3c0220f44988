import { screen, within } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import immutableReleasesPlugin from './alpha';
import { immutableReleasesApiRef } from './api/ImmutableReleasesApi';
import { mockImmutableReleasesApi } from './__testUtils__/fixtures';

describe('immutable-releases for the new frontend system', () => {
  it('is the plugin immutable-releases with its API, portal page, tab, cards and scaffolder field', () => {
    expect(immutableReleasesPlugin.pluginId).toBe('immutable-releases');
    for (const id of [
      'api:immutable-releases',
      'page:immutable-releases',
      'sub-page:immutable-releases/approvals',
      'sub-page:immutable-releases/fleet',
      'entity-content:immutable-releases',
      'entity-card:immutable-releases/drift',
      'entity-card:immutable-releases/rollback',
      'entity-card:immutable-releases/delivery-metrics',
      'scaffolder-form-field:immutable-releases/release-picker',
    ] as const) {
      expect(immutableReleasesPlugin.getExtension(id)).toBeDefined();
    }
  });

  it('opens the portal page on what waits for my approval, with the fleet as the other tab', async () => {
    const api = mockImmutableReleasesApi();
    api.listApprovals.mockResolvedValue({ items: [], nextCursor: null });
    renderTestApp({
      features: [immutableReleasesPlugin],
      apis: [[immutableReleasesApiRef, api]],
      initialRouteEntries: ['/immutable-releases'],
    });

    // the page loads lazily, which takes a while on a busy machine
    expect(
      await screen.findByText(
        'Nothing waits for your approval',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
    const tabs = screen.getByRole('tablist');
    expect(
      within(tabs).getByText('Waiting for my approval'),
    ).toBeInTheDocument();
    expect(within(tabs).getByText('Fleet')).toBeInTheDocument();
  });
});
