import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockImmutableReleasesApi,
  waitingDeployment,
} from '../../__testUtils__/fixtures';
import { mockAlertApi, renderOnPortalPage } from '../../__testUtils__/render';
import { mockSignalApi } from '../../__testUtils__/signals';
import { ApprovalInbox } from './ApprovalInbox';

const production = waitingDeployment({
  id: 'd-prod',
  environment: 'production',
  version: '1.4.0',
  required: 2,
  reason: 'checkout fix for the weekend sale',
  requestedBy: 'user:default/alice',
  createdAt: new Date(Date.now() - 10 * 60 * 1000).toISOString(),
  approvals: [
    {
      approver: 'user:default/bob',
      decision: 'approve',
      at: new Date().toISOString(),
    },
  ],
});
const ledgerStaging = waitingDeployment({
  id: 'd-ledger',
  entityRef: 'component:default/ledger',
  environment: 'staging',
  version: '2.0.0',
});

function inboxWith(...items: ReturnType<typeof waitingDeployment>[]) {
  const api = mockImmutableReleasesApi();
  api.listApprovals.mockResolvedValue({ items, nextCursor: null });
  return api;
}

describe('ApprovalInbox', () => {
  it('lists what waits for me: entity, version, environment, who asked and why, gates and approvals so far', async () => {
    const api = inboxWith(production);
    await renderOnPortalPage(<ApprovalInbox />, { api });

    const item = await screen.findByRole('listitem', {
      name: '1.4.0 → production of shop',
    });
    expect(within(item).getByRole('link', { name: 'shop' })).toHaveAttribute(
      'href',
      '/catalog/default/component/shop/releases',
    );
    expect(
      within(item).getByRole('link', { name: '1.4.0 → production' }),
    ).toHaveAttribute(
      'href',
      `/catalog/default/component/shop/releases/deployments/${production.id}`,
    );
    expect(item).toHaveTextContent(
      'Requested by user:default/alice 10 minutes ago: checkout fix for the weekend sale',
    );
    const gates = within(item).getByRole('list', {
      name: 'gates of 1.4.0 → production of shop',
    });
    expect(within(gates).getByText('upstream: passed')).toBeInTheDocument();
    expect(
      within(gates).getByText('waits for 2 approvals'),
    ).toBeInTheDocument();
    expect(item).toHaveTextContent('1 of 2 approvals: user:default/bob');
    expect(api.listApprovals).toHaveBeenCalledWith({
      limit: 20,
      cursor: undefined,
    });
  });

  it('approves with one click and takes the deployment off the list', async () => {
    const api = inboxWith(production, ledgerStaging);
    api.decideApproval.mockResolvedValue(production);
    const alertApi = mockAlertApi();
    await renderOnPortalPage(<ApprovalInbox />, { api, alertApi });

    const item = await screen.findByRole('listitem', {
      name: '1.4.0 → production of shop',
    });
    await userEvent.click(
      within(item).getByRole('button', { name: 'Approve' }),
    );

    await waitFor(() =>
      expect(
        screen.queryByRole('listitem', { name: '1.4.0 → production of shop' }),
      ).not.toBeInTheDocument(),
    );
    expect(api.decideApproval).toHaveBeenCalledWith('d-prod', {
      decision: 'approve',
    });
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Approved 1.4.0 → production of shop',
        severity: 'success',
      }),
    );
    expect(
      screen.getByRole('listitem', { name: '2.0.0 → staging of ledger' }),
    ).toBeInTheDocument();
  });

  it('rejects only with a comment', async () => {
    const api = inboxWith(production, ledgerStaging);
    api.decideApproval.mockResolvedValue(production);
    await renderOnPortalPage(<ApprovalInbox />, { api });

    const item = await screen.findByRole('listitem', {
      name: '1.4.0 → production of shop',
    });
    await userEvent.click(within(item).getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Reject' });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByRole('textbox'), '   ');
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByRole('textbox'),
      'wait until the sale is over',
    );
    await userEvent.click(confirm);

    await waitFor(() =>
      expect(api.decideApproval).toHaveBeenCalledWith('d-prod', {
        decision: 'reject',
        comment: 'wait until the sale is over',
      }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('listitem', { name: '1.4.0 → production of shop' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('keeps the deployment and says why when the decision fails', async () => {
    const api = inboxWith(production);
    api.decideApproval.mockRejectedValue(
      new Error('deployment d-prod is cancelled'),
    );
    const alertApi = mockAlertApi();
    await renderOnPortalPage(<ApprovalInbox />, { api, alertApi });

    const item = await screen.findByRole('listitem', {
      name: '1.4.0 → production of shop',
    });
    await userEvent.click(
      within(item).getByRole('button', { name: 'Approve' }),
    );

    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith(
        expect.objectContaining({
          message:
            'Could not approve 1.4.0 → production of shop: deployment d-prod is cancelled',
          severity: 'error',
        }),
      ),
    );
    expect(item).toBeInTheDocument();
  });

  it('says so when nothing waits', async () => {
    const api = inboxWith();
    await renderOnPortalPage(<ApprovalInbox />, { api });
    expect(
      await screen.findByText('Nothing waits for your approval'),
    ).toBeInTheDocument();
  });

  it('looks past empty pages that are not the last', async () => {
    const api = mockImmutableReleasesApi();
    api.listApprovals.mockImplementation(async options =>
      options?.cursor === 'c2'
        ? { items: [ledgerStaging], nextCursor: null }
        : { items: [], nextCursor: 'c2' },
    );
    await renderOnPortalPage(<ApprovalInbox />, { api });

    expect(
      await screen.findByRole('listitem', {
        name: '2.0.0 → staging of ledger',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Nothing waits for your approval'),
    ).not.toBeInTheDocument();
  });

  it('reloads when a listed entity signals a change', async () => {
    const api = inboxWith(production);
    const signals = mockSignalApi();
    await renderOnPortalPage(<ApprovalInbox />, {
      api,
      signalApi: signals.api,
    });
    await screen.findByRole('listitem', {
      name: '1.4.0 → production of shop',
    });
    expect(signals.channels()).toEqual([
      'immutable-releases:component:default/shop',
    ]);

    api.listApprovals.mockResolvedValue({ items: [], nextCursor: null });
    signals.publish('immutable-releases:component:default/shop', {
      type: 'deployment.cancelled',
      deploymentId: 'd-prod',
      environment: 'production',
    });

    expect(
      await screen.findByText(
        'Nothing waits for your approval',
        {},
        { timeout: 5000 },
      ),
    ).toBeInTheDocument();
  });
});
