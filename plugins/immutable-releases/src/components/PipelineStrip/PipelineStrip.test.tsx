import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  currentRelease,
  deployment,
  deniedEntityRef,
  entityRef,
  environment,
  mockImmutableReleasesApi,
  permissionApiDenying,
} from '../../__testUtils__/fixtures';
import { mockAlertApi, renderOnEntityPage } from '../../__testUtils__/render';
import { PipelineStrip } from './PipelineStrip';

const pending = deployment({
  environment: 'production',
  version: '1.4.0',
  status: 'pending',
  requestedBy: 'user:default/carol',
  gates: [
    { name: 'approvals', passed: false, message: 'waits for 2 approvals' },
  ],
  approvals: [
    {
      approver: 'user:default/bob',
      decision: 'approve',
      at: '2024-05-01T10:00:00Z',
    },
  ],
});

const environments = [
  environment({ name: 'staging', currentRelease: currentRelease('1.4.0') }),
  environment({
    name: 'production',
    from: 'staging',
    currentRelease: currentRelease('1.3.0'),
    drift: { status: 'drifted', observedDigest: null, observedAt: null },
    pendingDeployments: [pending],
    hold: {
      reason: 'rolled back: checkout broken',
      setAt: '2024-05-01T10:00:00Z',
      setBy: 'user:default/alice',
    },
  }),
];

describe('PipelineStrip', () => {
  it('shows each environment in order with version, digest, drift, hold and pending approvals', async () => {
    const api = mockImmutableReleasesApi();
    await renderOnEntityPage(
      <PipelineStrip
        entityRef={entityRef}
        environments={environments}
        onChange={() => {}}
      />,
      { api },
    );

    const columns = screen.getAllByRole('listitem');
    expect(columns.map(c => c.getAttribute('aria-label'))).toEqual([
      'environment staging',
      'environment production',
    ]);
    const production = columns[1];
    expect(within(production).getByText('1.3.0')).toBeInTheDocument();
    expect(
      within(production).getByText(/sha256:130000000000/),
    ).toBeInTheDocument();
    expect(within(production).getByText('drifted')).toBeInTheDocument();
    expect(production).toHaveTextContent('rolled back: checkout broken');
    expect(production).toHaveTextContent(
      'waits for 2 approvals; approved by bob',
    );
    expect(
      within(columns[0]).getByRole('button', { name: 'Promote to production' }),
    ).toBeInTheDocument();
  });

  it('approves with a comment, then reloads', async () => {
    const api = mockImmutableReleasesApi();
    api.decideApproval.mockResolvedValue({ ...pending });
    const onChange = jest.fn();
    await renderOnEntityPage(
      <PipelineStrip
        entityRef={entityRef}
        environments={environments}
        onChange={onChange}
      />,
      { api },
    );

    const approve = screen.getByRole('button', { name: 'Approve' });
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Comment'),
      'looks good',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    expect(api.decideApproval).toHaveBeenCalledWith(pending.id, {
      decision: 'approve',
      comment: 'looks good',
    });
    await waitFor(() => expect(onChange).toHaveBeenCalled());
  });

  it('says when a hold keeps every deployment waiting, not only automatic promotions', async () => {
    const api = mockImmutableReleasesApi();
    await renderOnEntityPage(
      <PipelineStrip
        entityRef={entityRef}
        environments={[
          environment({
            name: 'staging',
            currentRelease: currentRelease('1.3.0'),
            hold: {
              reason: 'the outcome of deploying 1.4.0 is unknown',
              setAt: '2024-05-01T10:00:00Z',
              setBy: 'plugin:immutable-releases',
              blocksDeployments: true,
            },
          }),
          environments[1],
        ]}
        onChange={() => {}}
      />,
      { api },
    );

    const [staging, production] = screen.getAllByRole('listitem');
    expect(staging).toHaveTextContent(
      'the outcome of deploying 1.4.0 is unknown. No deployment into staging starts until the hold is released.',
    );
    expect(production).toHaveTextContent(
      'Automatic promotions into production are stopped.',
    );
  });

  it('releases a hold and cancels a pending deployment', async () => {
    const api = mockImmutableReleasesApi();
    api.releaseHold.mockResolvedValue();
    api.cancelDeployment.mockResolvedValue({ ...pending, status: 'cancelled' });
    const onChange = jest.fn();
    await renderOnEntityPage(
      <PipelineStrip
        entityRef={entityRef}
        environments={environments}
        onChange={onChange}
      />,
      { api },
    );

    const release = screen.getByRole('button', { name: 'Release hold' });
    await waitFor(() => expect(release).toBeEnabled());
    await userEvent.click(release);
    expect(api.releaseHold).toHaveBeenCalledWith(entityRef, 'production');

    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(api.cancelDeployment).toHaveBeenCalledWith(pending.id);
    await waitFor(() => expect(onChange).toHaveBeenCalledTimes(2));
  });

  it('reports a failed action through the alert API', async () => {
    const api = mockImmutableReleasesApi();
    api.cancelDeployment.mockRejectedValue(
      Object.assign(new Error('Request failed with 409'), {
        cause: new Error('deployment is no longer pending'),
      }),
    );
    const alertApi = mockAlertApi();
    await renderOnEntityPage(
      <PipelineStrip
        entityRef={entityRef}
        environments={environments}
        onChange={() => {}}
      />,
      { api, alertApi },
    );
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    await waitFor(() => expect(cancel).toBeEnabled());
    await userEvent.click(cancel);
    await waitFor(() =>
      expect(alertApi.post).toHaveBeenCalledWith({
        message: '1.4.0 → production: deployment is no longer pending',
        severity: 'error',
      }),
    );
  });

  it('disables actions the user may not take and says why', async () => {
    const api = mockImmutableReleasesApi();
    await renderOnEntityPage(
      <PipelineStrip
        entityRef={deniedEntityRef}
        environments={environments}
        onChange={() => {}}
      />,
      {
        api,
        permissionApi: permissionApiDenying(
          'immutable-releases.promotion.create',
          'immutable-releases.promotion.approve',
        ),
      },
    );

    const promote = screen.getByRole('button', {
      name: 'Promote to production',
    });
    await waitFor(() => expect(promote).toBeDisabled());
    expect(screen.getByRole('button', { name: 'Approve' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Reject' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Release hold' })).toBeDisabled();

    await userEvent.hover(promote.parentElement!);
    expect(
      await screen.findByText(
        'You are not allowed to promote releases of this entity (immutable-releases.promotion.create).',
      ),
    ).toBeInTheDocument();
  });
});
