import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  deployment,
  mockImmutableReleasesApi,
  waitingDeployment,
} from '../../__testUtils__/fixtures';
import { renderReleasesTabAt } from '../../__testUtils__/releasesTab';
import { mockSignalApi } from '../../__testUtils__/signals';

const finished = deployment({
  id: 'd1',
  environment: 'staging',
  version: '1.4.0',
  kind: 'rollback',
  reason: 'error rate doubled',
  requestedBy: 'user:default/bob',
  transitions: [
    {
      status: 'pending',
      at: '2024-05-01T10:00:00.000Z',
      actor: 'user:default/bob',
      message: 'rollback of 1.4.0 requested: error rate doubled',
    },
    {
      status: 'running',
      at: '2024-05-01T10:00:01.000Z',
      actor: 'immutable-releases',
      message: 'started with executor kube',
    },
    {
      status: 'verifying',
      at: '2024-05-01T10:01:00.000Z',
      actor: 'immutable-releases',
      message:
        'rollout complete; verifying GET https://shop.example.com/health',
    },
    {
      status: 'failed',
      at: '2024-05-01T10:02:00.000Z',
      actor: 'immutable-releases',
      message: 'verification failed after 3 attempts: answered 503',
    },
  ],
  status: 'failed',
  executor: {
    name: 'kube',
    type: 'kubernetes',
    url: 'https://k8s.example.com/rollouts/shop',
    output: 'deployment.apps/shop image updated\nwaiting for rollout',
  },
  gates: [{ name: 'not-revoked', passed: true, message: 'not revoked' }],
});

describe('the deployment page', () => {
  it('tells the whole story of a deployment that ran', async () => {
    const api = mockImmutableReleasesApi();
    api.getDeployment.mockResolvedValue(finished);
    api.listEvents.mockResolvedValue({
      items: [
        {
          id: 'e1',
          type: 'hold.set',
          entityRef: 'component:default/shop',
          environment: 'staging',
          deploymentId: 'd1',
          actor: 'user:default/bob',
          at: '2024-05-01T10:00:02.000Z',
          details: { reason: 'rolled back to 1.4.0: error rate doubled' },
        },
      ],
      nextCursor: null,
    });
    await renderReleasesTabAt('/deployments/d1', { api });

    const page = await screen.findByRole('region', {
      name: 'deployment detail',
    });
    expect(api.getDeployment).toHaveBeenCalledWith('d1');
    expect(
      within(page).getByRole('heading', {
        name: 'Rollback of 1.4.0 to staging',
      }),
    ).toBeInTheDocument();
    const request = within(page).getByLabelText('request');
    expect(within(request).getByText('error rate doubled')).toBeInTheDocument();
    expect(within(request).getByText(/^bob,/)).toBeInTheDocument();
    expect(
      within(request).getByRole('link', { name: '1.4.0' }),
    ).toHaveAttribute('href', '/releases/release-1.4.0');
    expect(within(page).getByLabelText('executor output')).toHaveTextContent(
      'waiting for rollout',
    );
    expect(
      within(page).getByRole('link', { name: /open in kubernetes/ }),
    ).toHaveAttribute('href', 'https://k8s.example.com/rollouts/shop');
    expect(
      within(page).getByText(
        'Did not pass: verification failed after 3 attempts: answered 503',
      ),
    ).toBeInTheDocument();
    expect(
      within(page).getByText(/Checked GET https:\/\/shop.example.com\/health/),
    ).toBeInTheDocument();
    const transitions = within(page).getByRole('list', { name: 'transitions' });
    expect(within(transitions).getAllByRole('listitem')).toHaveLength(4);
    expect(within(page).getByText('not-revoked: passed')).toBeInTheDocument();
    expect(
      await within(page).findByText(
        /a hold was set on staging: rolled back to 1.4.0/,
      ),
    ).toBeInTheDocument();
    expect(api.listEvents).toHaveBeenCalledWith(
      'component:default/shop',
      expect.objectContaining({ deploymentId: 'd1' }),
    );
    expect(screen.getByRole('link', { name: 'Releases' })).toHaveAttribute(
      'href',
      '/releases',
    );
  });

  it('says why a pending deployment waits, and takes a decision', async () => {
    const api = mockImmutableReleasesApi();
    const waiting = waitingDeployment({
      id: 'd2',
      environment: 'production',
      version: '1.4.0',
      required: 2,
      approvals: [
        {
          approver: 'user:default/alice',
          decision: 'approve',
          comment: 'checked the changelog',
          at: '2024-05-01T10:03:00.000Z',
        },
      ],
    });
    api.getDeployment.mockResolvedValue(waiting);
    api.listEvents.mockResolvedValue({ items: [], nextCursor: null });
    api.decideApproval.mockResolvedValue(waiting);
    await renderReleasesTabAt('/deployments/d2', { api });

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Waiting: waits for 2 approvals; approved by alice.',
    );
    expect(screen.getByText('approvals: waiting')).toBeInTheDocument();
    expect(screen.getByText('“checked the changelog”')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Approve' }));
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Comment' }),
      'fine by me',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    await waitFor(() =>
      expect(api.decideApproval).toHaveBeenCalledWith('d2', {
        decision: 'approve',
        comment: 'fine by me',
      }),
    );
    await waitFor(() => expect(api.getDeployment).toHaveBeenCalledTimes(2));
  });

  it('follows a running deployment when the backend signals a change', async () => {
    const api = mockImmutableReleasesApi();
    const signals = mockSignalApi();
    api.listEvents.mockResolvedValue({ items: [], nextCursor: null });
    api.getDeployment.mockResolvedValueOnce(
      deployment({
        id: 'd3',
        environment: 'staging',
        version: '1.4.0',
        status: 'running',
      }),
    );
    await renderReleasesTabAt('/deployments/d3', {
      api,
      signalApi: signals.api,
    });
    expect(await screen.findByText('updates live')).toBeInTheDocument();

    api.getDeployment.mockResolvedValue(
      deployment({ id: 'd3', environment: 'staging', version: '1.4.0' }),
    );
    signals.publish('immutable-releases:component:default/shop', {
      type: 'deployment.succeeded',
      deploymentId: 'd3',
      environment: 'staging',
    });
    await waitFor(() =>
      expect(screen.queryByText('updates live')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('succeeded')).toBeInTheDocument();
  });

  it('refuses to show a deployment of another entity under this one', async () => {
    const api = mockImmutableReleasesApi();
    api.getDeployment.mockResolvedValue({
      ...finished,
      entityRef: 'component:default/other',
    });
    await renderReleasesTabAt('/deployments/d1', { api });
    expect(
      await screen.findByText(/is one of component:default\/other/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'deployment detail' }),
    ).not.toBeInTheDocument();
  });
});
