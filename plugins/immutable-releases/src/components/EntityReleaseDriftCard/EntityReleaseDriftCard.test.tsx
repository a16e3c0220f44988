import { screen, waitFor, within } from '@testing-library/react';
import {
  currentRelease,
  digest,
  environment,
  mockImmutableReleasesApi,
} from '../../__testUtils__/fixtures';
import { renderOnEntityPage } from '../../__testUtils__/render';
import { mockSignalApi } from '../../__testUtils__/signals';
import { EntityReleaseDriftCard } from './EntityReleaseDriftCard';

describe('EntityReleaseDriftCard', () => {
  it('compares desired and observed digests and shouts about unmanaged changes', async () => {
    const api = mockImmutableReleasesApi();
    const observedAt = new Date(Date.now() - 5 * 60 * 1000).toISOString();
    api.getEnvironments.mockResolvedValue({
      pipeline: 'default',
      environments: [
        environment({
          name: 'staging',
          currentRelease: currentRelease('1.4.0'),
          drift: {
            status: 'in-sync',
            observedDigest: digest('140'),
            observedAt,
          },
        }),
        environment({
          name: 'production',
          currentRelease: currentRelease('1.3.0'),
          drift: {
            status: 'unmanaged',
            observedDigest: digest('dead'),
            observedAt,
          },
        }),
      ],
    });
    await renderOnEntityPage(<EntityReleaseDriftCard />, { api });

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Unmanaged change in production');
    expect(alert).toHaveTextContent(
      'Something runs in production that was never released: sha256:dead00000000',
    );

    const production = screen.getByRole('row', { name: 'drift production' });
    expect(within(production).getByText('unmanaged')).toBeInTheDocument();
    expect(within(production).getByText('1.3.0')).toBeInTheDocument();
    expect(
      within(production).getByText('sha256:130000000000'),
    ).toBeInTheDocument();
    expect(
      within(production).getByText('observed 5 minutes ago'),
    ).toBeInTheDocument();

    const staging = screen.getByRole('row', { name: 'drift staging' });
    expect(within(staging).getByText('in-sync')).toBeInTheDocument();
  });

  it('says when nothing was ever observed, without an alarm', async () => {
    const api = mockImmutableReleasesApi();
    api.getEnvironments.mockResolvedValue({
      pipeline: 'default',
      environments: [environment({ name: 'development' })],
    });
    await renderOnEntityPage(<EntityReleaseDriftCard />, { api });

    expect(await screen.findByRole('status')).toHaveTextContent(
      /No observations yet.*drift source/,
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'drift by environment' }),
    ).not.toBeInTheDocument();
  });

  it('names the release that drifted in, the digests running beside it mid-rollout, and why an environment could not be observed', async () => {
    const api = mockImmutableReleasesApi();
    const at = new Date(Date.now() - 2 * 60 * 1000).toISOString();
    api.getEnvironments.mockResolvedValue({
      pipeline: 'default',
      environments: [
        environment({
          name: 'staging',
          currentRelease: currentRelease('1.4.0'),
          drift: {
            status: 'drifted',
            observedDigest: digest('120'),
            observedAt: at,
            observedRelease: { id: 'r-120', version: '1.2.0', revoked: false },
            observedDetails: {
              instances: 3,
              otherDigests: [{ digest: digest('140'), instances: 1 }],
            },
          },
        }),
        environment({
          name: 'production',
          drift: {
            status: 'unknown',
            observedDigest: null,
            observedAt: null,
            error: {
              message: 'GET http://fleet/production/version answered 404',
              at,
              source: 'http-probe:production',
            },
          },
        }),
      ],
    });
    await renderOnEntityPage(<EntityReleaseDriftCard />, { api });

    const staging = await screen.findByRole('row', { name: 'drift staging' });
    expect(within(staging).getByText('1.2.0')).toBeInTheDocument();
    expect(
      within(staging).getByText('sha256:120000000000'),
    ).toBeInTheDocument();
    expect(
      within(staging).getByText(
        'Mid-rollout: 3 instances run this; 1 instance runs sha256:140000000000',
      ),
    ).toBeInTheDocument();
    const production = screen.getByRole('row', { name: 'drift production' });
    expect(within(production).getByText('never observed')).toBeInTheDocument();
    expect(production).toHaveTextContent(
      'Could not observe (http-probe:production, 2 minutes ago): GET http://fleet/production/version answered 404',
    );
  });

  it('shows an API error', async () => {
    const api = mockImmutableReleasesApi();
    api.getEnvironments.mockRejectedValue(new Error('permission denied'));
    await renderOnEntityPage(<EntityReleaseDriftCard />, { api });
    expect(
      await screen.findByText('Error: permission denied'),
    ).toBeInTheDocument();
  });

  it('shows a new drift status when the backend signals a drift change', async () => {
    const api = mockImmutableReleasesApi();
    const drifting = (status: 'in-sync' | 'unmanaged') => ({
      pipeline: 'default',
      environments: [
        environment({
          name: 'production',
          currentRelease: currentRelease('1.3.0'),
          drift: {
            status,
            observedDigest: digest(status === 'in-sync' ? '130' : 'dead'),
            observedAt: new Date().toISOString(),
          },
        }),
      ],
    });
    api.getEnvironments.mockResolvedValue(drifting('in-sync'));
    const signals = mockSignalApi();
    await renderOnEntityPage(<EntityReleaseDriftCard />, {
      api,
      signalApi: signals.api,
    });
    const row = await screen.findByRole('row', { name: 'drift production' });
    expect(within(row).getByText('in-sync')).toBeInTheDocument();

    api.getEnvironments.mockResolvedValue(drifting('unmanaged'));
    signals.publish('immutable-releases:component:default/shop', {
      type: 'drift.changed',
      environment: 'production',
    });

    expect(
      await screen.findByRole('alert', {}, { timeout: 5000 }),
    ).toHaveTextContent('Unmanaged change in production');
    await waitFor(() =>
      expect(
        within(screen.getByRole('row', { name: 'drift production' })).getByText(
          'unmanaged',
        ),
      ).toBeInTheDocument(),
    );
  });
});
