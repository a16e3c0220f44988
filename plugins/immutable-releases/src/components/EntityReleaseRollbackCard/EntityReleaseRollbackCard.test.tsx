import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  currentRelease,
  deniedEntity,
  deployment,
  entityRef,
  environment,
  mockImmutableReleasesApi,
  permissionApiDenying,
} from '../../__testUtils__/fixtures';
import { renderOnEntityPage } from '../../__testUtils__/render';
import { EntityReleaseRollbackCard } from './EntityReleaseRollbackCard';

function setup() {
  const api = mockImmutableReleasesApi();
  api.getEnvironments.mockResolvedValue({
    pipeline: 'default',
    environments: [
      environment({
        name: 'production',
        currentRelease: currentRelease('1.5.0'),
      }),
    ],
  });
  api.listDeployments.mockResolvedValue({
    items: [
      deployment({ environment: 'production', version: '1.5.0' }),
      deployment({
        environment: 'production',
        version: '1.4.3',
        status: 'failed',
      }),
      deployment({ environment: 'production', version: '1.4.2' }),
      deployment({ environment: 'production', version: '1.4.1' }),
      deployment({ environment: 'production', version: '1.4.2' }),
    ],
    nextCursor: null,
  });
  return api;
}

describe('EntityReleaseRollbackCard', () => {
  it('proposes the last release that succeeded before the current one', async () => {
    const api = setup();
    await renderOnEntityPage(<EntityReleaseRollbackCard />, { api });

    const row = await screen.findByRole('row', { name: 'rollback production' });
    expect(within(row).getByText('1.5.0')).toBeInTheDocument();
    expect(await within(row).findByText('1.4.2')).toBeInTheDocument();
    expect(api.listDeployments).toHaveBeenCalledWith(entityRef, {
      environment: 'production',
      limit: 200,
    });
  });

  it('never proposes a revoked release as the known-good target', async () => {
    const api = setup();
    const revoked = deployment({ environment: 'production', version: '1.4.2' });
    api.listDeployments.mockResolvedValue({
      items: [
        deployment({ environment: 'production', version: '1.5.0' }),
        { ...revoked, release: { ...revoked.release, revoked: true } },
        deployment({ environment: 'production', version: '1.4.1' }),
      ],
      nextCursor: null,
    });
    await renderOnEntityPage(<EntityReleaseRollbackCard />, { api });

    const row = await screen.findByRole('row', { name: 'rollback production' });
    expect(await within(row).findByText('1.4.1')).toBeInTheDocument();
    expect(within(row).queryByText(/^1\.4\.2/)).not.toBeInTheDocument();
  });

  it('requires a reason and says what will happen before rolling back', async () => {
    const api = setup();
    api.rollback.mockResolvedValue(
      deployment({
        environment: 'production',
        version: '1.4.2',
        kind: 'rollback',
        status: 'running',
      }),
    );
    await renderOnEntityPage(<EntityReleaseRollbackCard />, { api });

    const button = await screen.findByRole('button', { name: 'Roll back' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);

    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent(
      'Redeploy 1.4.2 (sha256:142000000000…) to production, replacing 1.5.0; automatic promotions into production will be held until someone releases the hold.',
    );
    const confirm = within(dialog).getByRole('button', { name: 'Roll back' });
    expect(confirm).toBeDisabled();

    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      'checkout is broken',
    );
    expect(confirm).toBeEnabled();
    await userEvent.click(confirm);

    expect(api.rollback).toHaveBeenCalledWith({
      entityRef,
      environment: 'production',
      releaseId: 'release-1.4.2',
      reason: 'checkout is broken',
    });
  });

  it('shows a refused rollback in the dialog', async () => {
    const api = setup();
    api.rollback.mockRejectedValue(new Error('release 1.4.2 was revoked'));
    await renderOnEntityPage(<EntityReleaseRollbackCard />, { api });

    const button = await screen.findByRole('button', { name: 'Roll back' });
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(within(dialog).getByLabelText(/Reason/), 'broken');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Roll back' }),
    );

    expect(
      await within(dialog).findByText('Error: release 1.4.2 was revoked'),
    ).toBeInTheDocument();
  });

  it('disables Roll back, saying why, for users who may not roll back', async () => {
    const api = setup();
    await renderOnEntityPage(<EntityReleaseRollbackCard />, {
      api,
      entity: deniedEntity,
      permissionApi: permissionApiDenying('immutable-releases.rollback.create'),
    });

    const button = await screen.findByRole('button', { name: 'Roll back' });
    await waitFor(() => expect(button).toBeDisabled());
    await userEvent.hover(button.parentElement!);
    expect(
      await screen.findByText(
        'You are not allowed to roll back production (immutable-releases.rollback.create).',
      ),
    ).toBeInTheDocument();
  });
});
