import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fleetEntity,
  mockImmutableReleasesApi,
} from '../../__testUtils__/fixtures';
import { renderOnPortalPage } from '../../__testUtils__/render';
import { ImmutableReleasesPage } from './ImmutableReleasesPage';

describe('ImmutableReleasesPage', () => {
  it('opens on what waits for my approval and switches to the fleet', async () => {
    const api = mockImmutableReleasesApi();
    api.listApprovals.mockResolvedValue({ items: [], nextCursor: null });
    api.listFleet.mockResolvedValue({
      items: [
        fleetEntity('component:default/shop', [
          {
            name: 'production',
            currentRelease: { id: 'r1', version: '1.0.0' },
          },
        ]),
      ],
      nextCursor: null,
    });
    await renderOnPortalPage(<ImmutableReleasesPage />, { api });

    expect(
      screen.getByRole('heading', { name: 'Releases' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Nothing waits for your approval'),
    ).toBeInTheDocument();
    expect(api.listFleet).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('tab', { name: 'Fleet' }));
    expect(
      await screen.findByRole('row', { name: 'component:default/shop' }),
    ).toHaveTextContent('1.0.0');
  });
});
