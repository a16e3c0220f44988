import { renderHook, waitFor } from '@testing-library/react';
import {
  currentRelease,
  entityRef,
  environment,
  mockImmutableReleasesApi,
  release,
} from '../__testUtils__/fixtures';
import { withApis } from '../__testUtils__/hookWrapper';
import { usePromotableReleases } from './usePromotableReleases';

describe('usePromotableReleases', () => {
  const environments = [
    environment({
      name: 'development',
      currentRelease: currentRelease('1.5.0'),
    }),
    environment({
      name: 'staging',
      from: 'development',
      currentRelease: currentRelease('1.5.0'),
    }),
    environment({
      name: 'production',
      from: 'staging',
      currentRelease: currentRelease('1.3.0', true),
    }),
  ];

  it('offers the releases current somewhere first, then recent ones, none twice and none revoked', async () => {
    const api = mockImmutableReleasesApi();
    api.listReleases.mockResolvedValue({
      items: [
        release({
          version: '1.6.0',
          revocation: {
            reason: 'CVE',
            revokedAt: '2024-05-02T10:00:00.000Z',
            revokedBy: 'security',
          },
        }),
        release({ version: '1.5.0' }),
        release({ version: '1.4.0' }),
      ],
      nextCursor: null,
    });
    const { result } = renderHook(
      () => usePromotableReleases(entityRef, environments, true),
      { wrapper: withApis({ api }) },
    );

    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.releases.map(r => [r.version, r.currentIn])).toEqual([
      ['1.5.0', ['development', 'staging']],
      ['1.4.0', []],
    ]);
    expect(result.current.newestReleaseId).toBe('release-1.6.0');
    expect(api.listReleases).toHaveBeenCalledWith(entityRef, { limit: 20 });
  });

  it('loads nothing while closed', async () => {
    const api = mockImmutableReleasesApi();
    const { result } = renderHook(
      () => usePromotableReleases(entityRef, environments, false),
      { wrapper: withApis({ api }) },
    );
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(api.listReleases).not.toHaveBeenCalled();
    expect(result.current.releases.map(r => r.version)).toEqual(['1.5.0']);
  });
});
