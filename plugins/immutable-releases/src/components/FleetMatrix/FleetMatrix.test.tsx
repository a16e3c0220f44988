import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  fleetEntity,
  mockImmutableReleasesApi,
} from '../../__testUtils__/fixtures';
import { renderOnPortalPage } from '../../__testUtils__/render';
import { mockSignalApi } from '../../__testUtils__/signals';
import { FleetMatrix } from './FleetMatrix';

const shop = fleetEntity('component:default/shop', [
  {
    name: 'staging',
    currentRelease: { id: 'r14', version: '1.4.0' },
    drift: { status: 'in-sync' },
  },
  {
    name: 'production',
    currentRelease: { id: 'r13', version: '1.3.0' },
    drift: { status: 'unmanaged' },
    held: true,
    pendingCount: 2,
  },
]);
const ledger = fleetEntity(
  'component:default/ledger',
  [
    { name: 'qa', currentRelease: { id: 'r2', version: '2.0.0' } },
    { name: 'live' },
  ],
  'regulated',
);

function environmentOf(entityRef: string, name: string) {
  return within(screen.getByRole('row', { name: entityRef })).getByRole(
    'group',
    { name: `environment ${name}` },
  );
}

describe('FleetMatrix', () => {
  it('shows each entity with the environments of its pipeline: version, drift, hold and pending', async () => {
    const api = mockImmutableReleasesApi();
    api.listFleet.mockResolvedValue({
      items: [shop, ledger],
      nextCursor: null,
    });
    await renderOnPortalPage(<FleetMatrix />, { api });

    const shopRow = await screen.findByRole('row', {
      name: 'component:default/shop',
    });
    expect(within(shopRow).getByRole('link', { name: 'shop' })).toHaveAttribute(
      'href',
      '/catalog/default/component/shop/releases',
    );
    const staging = environmentOf('component:default/shop', 'staging');
    expect(staging).toHaveTextContent('1.4.0');
    expect(within(staging).getByText('in-sync')).toBeInTheDocument();
    const production = environmentOf('component:default/shop', 'production');
    expect(production).toHaveTextContent('1.3.0');
    expect(within(production).getByText('unmanaged')).toBeInTheDocument();
    expect(within(production).getByText('held')).toBeInTheDocument();
    expect(within(production).getByText('2 pending')).toBeInTheDocument();

    const ledgerRow = screen.getByRole('row', {
      name: 'component:default/ledger',
    });
    expect(ledgerRow).toHaveTextContent('regulated');
    expect(environmentOf('component:default/ledger', 'live')).toHaveTextContent(
      '—',
    );

    expect(screen.getByRole('alert')).toHaveTextContent(
      'Unmanaged changes' +
        'Something runs that was never released, deployed outside the pipeline, in: shop (production).',
    );
    expect(api.listFleet).toHaveBeenCalledWith(
      { drift: undefined, owner: undefined },
      { limit: 25, cursor: undefined },
    );
  });

  it('asks for the unmanaged entities only when unmanaged is ticked', async () => {
    const api = mockImmutableReleasesApi();
    api.listFleet.mockImplementation(async filter => ({
      items: filter?.drift?.includes('unmanaged') ? [shop] : [shop, ledger],
      nextCursor: null,
    }));
    await renderOnPortalPage(<FleetMatrix />, { api });
    await screen.findByRole('row', { name: 'component:default/ledger' });

    await userEvent.click(screen.getByRole('checkbox', { name: 'unmanaged' }));

    await waitFor(() =>
      expect(
        screen.queryByRole('row', { name: 'component:default/ledger' }),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.getByRole('row', { name: 'component:default/shop' }),
    ).toBeInTheDocument();
    expect(api.listFleet).toHaveBeenLastCalledWith(
      { drift: ['unmanaged'], owner: undefined },
      { limit: 25, cursor: undefined },
    );
  });

  it('filters by the owner typed, and says when nothing matches', async () => {
    const api = mockImmutableReleasesApi();
    api.listFleet.mockImplementation(async filter => ({
      items: filter?.owner ? [] : [shop],
      nextCursor: null,
    }));
    await renderOnPortalPage(<FleetMatrix />, { api });
    await screen.findByRole('row', { name: 'component:default/shop' });

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Owner' }),
      'group:default/payments',
    );

    expect(
      await screen.findByText('No entity matches the filters.'),
    ).toBeInTheDocument();
    expect(api.listFleet).toHaveBeenLastCalledWith(
      { drift: undefined, owner: 'group:default/payments' },
      { limit: 25, cursor: undefined },
    );
  });

  it('pages forward with the cursor and back again', async () => {
    const api = mockImmutableReleasesApi();
    api.listFleet.mockImplementation(async (_filter, page) =>
      page?.cursor === 'after-shop'
        ? { items: [ledger], nextCursor: null }
        : { items: [shop], nextCursor: 'after-shop' },
    );
    await renderOnPortalPage(<FleetMatrix />, { api });
    await screen.findByRole('row', { name: 'component:default/shop' });

    const pages = screen.getByLabelText('fleet pages');
    await userEvent.click(within(pages).getByRole('button', { name: 'Next' }));
    expect(
      await screen.findByRole('row', { name: 'component:default/ledger' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('row', { name: 'component:default/shop' }),
    ).not.toBeInTheDocument();
    expect(api.listFleet).toHaveBeenLastCalledWith(
      { drift: undefined, owner: undefined },
      { limit: 25, cursor: 'after-shop' },
    );
    expect(within(pages).getByText('Page 2')).toBeInTheDocument();

    await userEvent.click(
      within(pages).getByRole('button', { name: 'Previous' }),
    );
    expect(
      await screen.findByRole('row', { name: 'component:default/shop' }),
    ).toBeInTheDocument();
  });

  it('reloads when an entity on the page signals a change', async () => {
    const api = mockImmutableReleasesApi();
    api.listFleet.mockResolvedValue({ items: [shop], nextCursor: null });
    const signals = mockSignalApi();
    await renderOnPortalPage(<FleetMatrix />, { api, signalApi: signals.api });
    await screen.findByRole('row', { name: 'component:default/shop' });

    api.listFleet.mockResolvedValue({
      items: [
        fleetEntity('component:default/shop', [
          { name: 'staging', currentRelease: { id: 'r15', version: '1.5.0' } },
        ]),
      ],
      nextCursor: null,
    });
    signals.publish('immutable-releases:component:default/shop', {
      type: 'deployment.succeeded',
      environment: 'staging',
    });

    await waitFor(
      () =>
        expect(
          environmentOf('component:default/shop', 'staging'),
        ).toHaveTextContent('1.5.0'),
      { timeout: 5000 },
    );
  });
});
