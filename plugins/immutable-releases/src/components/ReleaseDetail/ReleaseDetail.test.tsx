import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  currentRelease,
  deployment,
  environment,
  mockImmutableReleasesApi,
  release,
} from '../../__testUtils__/fixtures';
import { renderReleasesTabAt } from '../../__testUtils__/releasesTab';

const check = (name: string, status: 'passed' | 'failed') => ({
  name,
  status,
  recordedAt: '2024-05-01T10:00:00.000Z',
  recordedBy: 'ci-pipeline',
});

const candidate = release({
  id: 'r140',
  version: '1.4.0',
  source: {
    repository: 'https://github.com/acme/shop',
    commit: 'bbbbbbbbbbbbbbbb',
    branch: 'main',
  },
  build: { id: '1862', url: 'https://ci.example.com/builds/1862' },
  labels: { tier: '2' },
  checks: [check('unit-tests', 'passed'), check('e2e', 'failed')],
  attestations: [
    {
      id: 'a1',
      predicateType: 'https://slsa.dev/provenance/v1',
      subjectDigests: [
        'sha256:1400000000000000000000000000000000000000000000000000000000000000',
      ],
      signer: { keyHint: 'ci-key' },
      recordedAt: '2024-05-01T10:00:00.000Z',
      recordedBy: 'ci-pipeline',
    },
  ],
  deployments: [
    {
      environment: 'staging',
      deploymentId: 'd-staging',
      kind: 'promotion',
      status: 'succeeded',
      updatedAt: '2024-05-01T11:00:00.000Z',
    },
  ],
});

const running = release({
  id: 'release-1.3.0',
  version: '1.3.0',
  source: {
    repository: 'https://github.com/acme/shop',
    commit: 'aaaaaaaaaaaaaaaa',
  },
  labels: { tier: '1' },
  checks: [check('unit-tests', 'passed'), check('e2e', 'passed')],
});

function withReleases() {
  const api = mockImmutableReleasesApi();
  api.getRelease.mockImplementation(async id => {
    if (id === candidate.id) return candidate;
    if (id === running.id) return running;
    throw new Error(`no release ${id}`);
  });
  api.getEnvironments.mockResolvedValue({
    pipeline: 'default',
    environments: [
      environment({
        name: 'staging',
        currentRelease: { ...currentRelease('1.4.0'), id: 'r140' },
      }),
      environment({
        name: 'production',
        from: 'staging',
        currentRelease: currentRelease('1.3.0'),
      }),
    ],
  });
  api.dryRunPromotion.mockResolvedValue({
    gates: [
      { name: 'upstream', passed: true, message: 'succeeded in staging' },
      { name: 'approvals', passed: false, message: 'waits for 2 approvals' },
    ],
  });
  api.listEvents.mockResolvedValue({
    items: [
      {
        id: 'e1',
        type: 'check.recorded',
        entityRef: 'component:default/shop',
        releaseId: 'r140',
        actor: 'external:ci',
        at: '2024-05-01T10:00:00.000Z',
        details: { name: 'e2e', status: 'failed', version: '1.4.0' },
      },
    ],
    nextCursor: null,
  });
  api.listDeployments.mockResolvedValue({
    items: [
      deployment({
        id: 'd-staging',
        environment: 'staging',
        version: '1.4.0',
        releaseId: 'r140',
      }),
    ],
    nextCursor: null,
  });
  return api;
}

describe('the release page', () => {
  it('shows what the release is, where it runs and its deployments', async () => {
    const api = withReleases();
    await renderReleasesTabAt('/r140', { api });

    const page = await screen.findByRole('region', { name: 'release detail' });
    expect(
      within(page).getByRole('heading', { name: 'Release 1.4.0' }),
    ).toBeInTheDocument();
    const identity = within(page).getByLabelText('identity');
    expect(
      within(identity).getByRole('link', { name: /^bbbbbbb/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/shop/commit/bbbbbbbbbbbbbbbb',
    );
    expect(
      within(identity).getByRole('link', { name: /1862/ }),
    ).toHaveAttribute('href', 'https://ci.example.com/builds/1862');
    expect(within(page).getByText('e2e: failed')).toBeInTheDocument();
    expect(
      within(page).getByText('SLSA provenance v1, signed by key ci-key'),
    ).toBeInTheDocument();

    const where = within(page).getByRole('table', { name: 'where it runs' });
    expect(within(where).getByText('this release')).toBeInTheDocument();
    expect(within(where).getByRole('link', { name: '1.3.0' })).toHaveAttribute(
      'href',
      '/releases/release-1.3.0',
    );
    const deployments = await within(page).findByRole('table', {
      name: 'deployments of the release',
    });
    expect(
      within(deployments).getByRole('link', { name: 'promotion to staging' }),
    ).toHaveAttribute('href', '/releases/deployments/d-staging');
    expect(api.listDeployments).toHaveBeenCalledWith(
      'component:default/shop',
      expect.objectContaining({ releaseId: 'r140' }),
    );
    expect(api.listEvents).toHaveBeenCalledWith(
      'component:default/shop',
      expect.objectContaining({ releaseId: 'r140' }),
    );
    expect(
      await within(page).findByLabelText('audit timeline'),
    ).toHaveTextContent(/e2e/);
  });

  it('compares with what runs in production: commit range, differences and gates', async () => {
    const api = withReleases();
    await renderReleasesTabAt('/r140', { api });

    const comparison = await screen.findByRole('region', {
      name: 'comparison with production',
    });
    expect(
      within(comparison).getByRole('link', {
        name: /^compare aaaaaaa…bbbbbbb/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/shop/compare/aaaaaaaaaaaaaaaa...bbbbbbbbbbbbbbbb',
    );
    const differences = within(comparison).getByRole('table', {
      name: 'differences',
    });
    const e2e = within(differences).getByRole('row', { name: /check e2e/ });
    expect(e2e).toHaveTextContent('check e2efailedpassed');
    expect(
      within(differences).getByRole('row', { name: /label tier/ }),
    ).toHaveTextContent('label tier21');
    expect(
      within(differences).queryByRole('row', { name: /unit-tests/ }),
    ).not.toBeInTheDocument();

    expect(await screen.findByText('approvals: waiting')).toBeInTheDocument();
    expect(api.dryRunPromotion).toHaveBeenCalledWith({
      entityRef: 'component:default/shop',
      releaseId: 'r140',
      environment: 'production',
    });
  });

  it('compares with another environment when asked', async () => {
    const api = withReleases();
    await renderReleasesTabAt('/r140', { api });
    await screen.findByRole('region', { name: 'comparison with production' });

    await userEvent.click(screen.getByRole('button', { name: /environment/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'staging' }),
    );
    expect(
      await screen.findByText('1.4.0 is what runs in staging.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.queryByRole('region', { name: 'comparison with production' }),
      ).not.toBeInTheDocument(),
    );
  });
});
