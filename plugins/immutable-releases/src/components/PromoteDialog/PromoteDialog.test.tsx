import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis } from '@backstage/test-utils';
import { GateResult } from 'backstage-plugin-immutable-releases-common';
import {
  currentRelease,
  deniedEntityRef,
  deployment,
  entityRef,
  environment,
  gatesRefusedError,
  mockImmutableReleasesApi,
  permissionApiDenying,
  release,
} from '../../__testUtils__/fixtures';
import { deferred, renderOnEntityPage } from '../../__testUtils__/render';
import { DryRunResult } from '../../api/ImmutableReleasesApi';
import { PromoteDialog } from './PromoteDialog';

const environments = [
  environment({ name: 'development', currentRelease: currentRelease('1.5.0') }),
  environment({
    name: 'staging',
    from: 'development',
    currentRelease: currentRelease('1.4.0'),
  }),
  environment({
    name: 'production',
    from: 'staging',
    currentRelease: currentRelease('1.3.0'),
  }),
];

const passing: GateResult[] = [
  {
    name: 'not-revoked',
    passed: true,
    message: 'release 1.4.0 is not revoked',
  },
  {
    name: 'upstream',
    passed: true,
    message: 'release 1.4.0 succeeded in staging',
  },
  {
    name: 'approvals',
    passed: false,
    message: 'waits for 2 approvals',
  },
];

function setup() {
  const api = mockImmutableReleasesApi();
  api.listReleases.mockResolvedValue({
    items: [release({ version: '1.5.0' }), release({ version: '1.4.0' })],
    nextCursor: null,
  });
  return api;
}

function renderDialog(
  api: ReturnType<typeof setup>,
  permissionApi = mockApis.permission(),
  dialogEntityRef = entityRef,
) {
  return renderOnEntityPage(
    <PromoteDialog
      open
      entityRef={dialogEntityRef}
      environments={environments}
      initialTarget="production"
      onClose={() => {}}
    />,
    { api, permissionApi },
  );
}

describe('PromoteDialog', () => {
  it('runs the dry run for the upstream release and keeps Promote disabled until it answers', async () => {
    const api = setup();
    const dryRun = deferred<DryRunResult>();
    api.dryRunPromotion.mockReturnValue(dryRun.promise);
    await renderDialog(api);

    await waitFor(() =>
      expect(api.dryRunPromotion).toHaveBeenCalledWith({
        entityRef,
        releaseId: 'release-1.4.0',
        environment: 'production',
      }),
    );
    expect(screen.getByRole('button', { name: 'Promote' })).toBeDisabled();

    dryRun.resolve({ gates: passing });
    expect(await screen.findByText('upstream: passed')).toBeInTheDocument();
    expect(
      screen.getByText('release 1.4.0 succeeded in staging'),
    ).toBeInTheDocument();
    expect(screen.getByText('approvals: waiting')).toBeInTheDocument();
    expect(screen.getByText('waits for 2 approvals')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Promote' })).toBeEnabled();
  });

  it('shows failed hard gates and refuses to promote', async () => {
    const api = setup();
    api.dryRunPromotion.mockResolvedValue({
      gates: [
        { name: 'not-revoked', passed: true, message: 'fine' },
        {
          name: 'soak-time',
          passed: false,
          message: 'release 1.4.0 has soaked 10 minutes of 1 hour in staging',
        },
      ],
    });
    await renderDialog(api);

    expect(await screen.findByText('soak-time: failed')).toBeInTheDocument();
    expect(
      screen.getByText(
        'release 1.4.0 has soaked 10 minutes of 1 hour in staging',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/This promotion would be refused: soak-time failed/),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Promote' })).toBeDisabled();
  });

  it('promotes with the reason and says how many approvals are needed', async () => {
    const api = setup();
    api.dryRunPromotion.mockResolvedValue({ gates: passing });
    api.promote.mockResolvedValue(
      deployment({
        environment: 'production',
        version: '1.4.0',
        status: 'pending',
        gates: passing,
        approvals: [
          {
            approver: 'user:default/bob',
            decision: 'approve',
            at: '2024-05-01T10:00:00Z',
          },
        ],
      }),
    );
    await renderDialog(api);

    await userEvent.type(screen.getByLabelText('Reason'), 'ship the fix');
    const promote = screen.getByRole('button', { name: 'Promote' });
    await waitFor(() => expect(promote).toBeEnabled());
    await userEvent.click(promote);

    expect(api.promote).toHaveBeenCalledWith({
      entityRef,
      releaseId: 'release-1.4.0',
      environment: 'production',
      reason: 'ship the fix',
    });
    expect(
      await screen.findByText(
        /Pending approval: waits for 2 approvals \(1 given so far\)/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('pending')).toBeInTheDocument();
  });

  it('shows the gates a 409 answer carries', async () => {
    const api = setup();
    api.dryRunPromotion.mockResolvedValue({ gates: passing });
    api.promote.mockRejectedValue(
      await gatesRefusedError([
        {
          name: 'freeze-window',
          passed: false,
          message:
            'production is frozen (weekend freeze); an override reason is needed',
        },
      ]),
    );
    await renderDialog(api);

    const promote = screen.getByRole('button', { name: 'Promote' });
    await waitFor(() => expect(promote).toBeEnabled());
    await userEvent.click(promote);

    const refused = await screen.findByRole('list', { name: 'refused gates' });
    expect(
      within(refused).getByText('freeze-window: failed'),
    ).toBeInTheDocument();
    expect(
      within(refused).getByText(
        'production is frozen (weekend freeze); an override reason is needed',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The backend refused the promotion/),
    ).toBeInTheDocument();
  });

  it('shows each attestation the signature gate names on a line of its own', async () => {
    const api = setup();
    const message =
      'no attestation of release 1.4.0 verifies with a configured key (ci):\n' +
      '- https://slsa.dev/provenance/v1 (a1) does not verify with any configured key (ci: signature verification failed)\n' +
      '- https://example.com/test/v1 (a2) is signed by a certificate (keyless), which is not verified yet: sign with a configured key';
    api.dryRunPromotion.mockResolvedValue({
      gates: [...passing, { name: 'signature', passed: false, message }],
    });
    await renderDialog(api);

    const gates = await screen.findByRole('list', { name: 'dry-run gates' });
    expect(within(gates).getByText('signature: failed')).toBeInTheDocument();
    const shown = within(gates).getByText(/^no attestation of release 1\.4\.0/);
    expect(shown.textContent).toBe(message);
    expect(shown).toHaveStyle({ whiteSpace: 'pre-line' });
    expect(
      screen.getByText(/This promotion would be refused: signature failed/),
    ).toBeInTheDocument();
  });

  it('offers the freeze override only to those allowed, and dry-runs with it', async () => {
    const api = setup();
    api.dryRunPromotion.mockResolvedValue({ gates: passing });
    await renderDialog(api);

    const override = await screen.findByLabelText('Freeze override reason');
    await userEvent.type(override, 'incident 42');
    await userEvent.tab();
    await waitFor(() =>
      expect(api.dryRunPromotion).toHaveBeenLastCalledWith({
        entityRef,
        releaseId: 'release-1.4.0',
        environment: 'production',
        override: { reason: 'incident 42' },
      }),
    );
  });

  it('hides the freeze override from those not allowed', async () => {
    const api = setup();
    api.dryRunPromotion.mockResolvedValue({ gates: passing });
    await renderDialog(
      api,
      permissionApiDenying('immutable-releases.freeze.override'),
      deniedEntityRef,
    );

    expect(await screen.findByText('upstream: passed')).toBeInTheDocument();
    expect(
      screen.queryByLabelText('Freeze override reason'),
    ).not.toBeInTheDocument();
  });

  it('shows a failing dry run instead of gates', async () => {
    const api = setup();
    api.dryRunPromotion.mockRejectedValue(new Error('backend unavailable'));
    await renderDialog(api);

    expect(
      await screen.findByText('Error: backend unavailable'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Promote' })).toBeDisabled();
  });
});
