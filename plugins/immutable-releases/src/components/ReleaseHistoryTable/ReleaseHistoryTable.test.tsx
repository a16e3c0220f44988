import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  currentRelease,
  entityRef,
  environment,
  mockImmutableReleasesApi,
  release,
} from '../../__testUtils__/fixtures';
import { renderOnEntityPage } from '../../__testUtils__/render';
import { RELEASES_PAGE_SIZE, ReleaseHistoryTable } from './ReleaseHistoryTable';

const environments = [
  environment({ name: 'staging', currentRelease: currentRelease('2.0.0') }),
  environment({ name: 'production', currentRelease: currentRelease('2.0.0') }),
];

describe('ReleaseHistoryTable', () => {
  it('loads one page at a time: Next follows the cursor, Previous goes back', async () => {
    const api = mockImmutableReleasesApi();
    api.listReleases.mockImplementation(async (_ref, options) =>
      options?.cursor === 'cursor-2'
        ? { items: [release({ version: '1.0.0' })], nextCursor: null }
        : {
            items: [
              release({
                version: '2.0.0',
                checks: [
                  {
                    name: 'unit-tests',
                    status: 'passed',
                    recordedAt: '2024-05-01T10:00:00Z',
                    recordedBy: 'ci',
                  },
                  {
                    name: 'security-scan',
                    status: 'failed',
                    recordedAt: '2024-05-01T10:00:00Z',
                    recordedBy: 'ci',
                  },
                ],
              }),
              release({
                version: '1.9.0',
                revocation: {
                  reason: 'CVE-2024-1',
                  revokedAt: '2024-05-02T10:00:00Z',
                  revokedBy: 'user:default/alice',
                },
              }),
            ],
            nextCursor: 'cursor-2',
          },
    );
    await renderOnEntityPage(
      <ReleaseHistoryTable entityRef={entityRef} environments={environments} />,
      { api },
    );

    const table = await screen.findByRole('table', { name: 'release history' });
    const newest = within(table).getByText('2.0.0').closest('tr')!;
    expect(within(newest).getByText('sha256:200000000000')).toBeInTheDocument();
    expect(within(newest).getByText('unit-tests: passed')).toBeInTheDocument();
    expect(
      within(newest).getByText('security-scan: failed'),
    ).toBeInTheDocument();
    expect(within(newest).getByText('staging')).toBeInTheDocument();
    expect(within(newest).getByText('production')).toBeInTheDocument();
    expect(within(newest).getByText('9c1d2e3').closest('a')).toHaveAttribute(
      'href',
      'https://github.com/acme/shop/commit/9c1d2e3f4a5b6c7d8e9f',
    );
    const revoked = within(table).getByText('1.9.0').closest('tr')!;
    expect(within(revoked).getByText('revoked')).toBeInTheDocument();
    expect(api.listReleases).toHaveBeenLastCalledWith(entityRef, {
      limit: RELEASES_PAGE_SIZE,
      cursor: undefined,
    });

    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('1.0.0')).toBeInTheDocument();
    expect(screen.queryByText('2.0.0')).not.toBeInTheDocument();
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(api.listReleases).toHaveBeenLastCalledWith(entityRef, {
      limit: RELEASES_PAGE_SIZE,
      cursor: 'cursor-2',
    });
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByText('2.0.0')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByText('Page 1')).toBeInTheDocument());
    expect(api.listReleases).toHaveBeenCalledTimes(3);
  });

  it('shows the first page it is given without asking for it, and asks for the next', async () => {
    const api = mockImmutableReleasesApi();
    api.listReleases.mockResolvedValue({
      items: [release({ version: '1.0.0' })],
      nextCursor: null,
    });
    await renderOnEntityPage(
      <ReleaseHistoryTable
        entityRef={entityRef}
        environments={environments}
        firstPage={{
          items: [release({ version: '2.0.0' })],
          nextCursor: 'cursor-2',
        }}
      />,
      { api },
    );

    const table = await screen.findByRole('table', { name: 'release history' });
    expect(within(table).getByText('2.0.0')).toBeInTheDocument();
    expect(api.listReleases).not.toHaveBeenCalled();

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('1.0.0')).toBeInTheDocument();
    expect(api.listReleases).toHaveBeenCalledWith(entityRef, {
      limit: RELEASES_PAGE_SIZE,
      cursor: 'cursor-2',
    });
    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByText('2.0.0')).toBeInTheDocument();
    expect(api.listReleases).toHaveBeenCalledTimes(1);
  });

  it('cuts a long version short and shows it whole on hover', async () => {
    const longVersion = `1.0.0-${'x'.repeat(194)}`;
    const api = mockImmutableReleasesApi();
    api.listReleases.mockResolvedValue({
      items: [release({ version: longVersion })],
      nextCursor: null,
    });
    await renderOnEntityPage(
      <ReleaseHistoryTable entityRef={entityRef} environments={environments} />,
      { api },
    );

    const version = await screen.findByTitle(longVersion);
    expect(version).toHaveTextContent(longVersion);
    expect(version).toHaveStyle({
      maxWidth: '16em',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    });
  });

  it("shows a release's attestations: predicate type, signer and subjects", async () => {
    const api = mockImmutableReleasesApi();
    const shown = release({ version: '2.0.0' });
    api.listReleases.mockResolvedValue({
      items: [
        {
          ...shown,
          attestations: [
            {
              id: 'a1',
              predicateType: 'https://slsa.dev/provenance/v1',
              subjectDigests: [shown.artifact.digest],
              signer: { keyHint: 'ci-key' },
              recordedAt: '2024-05-01T10:00:00Z',
              recordedBy: 'ci',
            },
            {
              id: 'a2',
              predicateType: 'https://spdx.dev/Document',
              subjectDigests: [shown.artifact.digest],
              signer: {
                certificateIdentity:
                  'https://github.com/acme/shop/.github/workflows/ci.yml@refs/heads/main',
                certificateIssuer:
                  'https://token.actions.githubusercontent.com',
              },
              recordedAt: '2024-05-01T10:00:00Z',
              recordedBy: 'ci',
            },
          ],
        },
      ],
      nextCursor: null,
    });
    await renderOnEntityPage(
      <ReleaseHistoryTable entityRef={entityRef} environments={environments} />,
      { api },
    );

    const table = await screen.findByRole('table', { name: 'release history' });
    const row = within(table).getByText('2.0.0').closest('tr')!;
    expect(within(row).getByText('SLSA provenance v1')).toBeInTheDocument();
    expect(within(row).getByText('spdx.dev/Document')).toBeInTheDocument();
    expect(
      within(row).getByLabelText(
        'attestation SLSA provenance v1 signed by key ci-key',
      ),
    ).toBeInTheDocument();
    await userEvent.hover(within(row).getByText('spdx.dev/Document'));
    expect(
      await screen.findByText(
        /signed by https:\/\/github\.com\/acme\/shop\/\.github\/workflows\/ci\.yml@refs\/heads\/main \(https:\/\/token\.actions\.githubusercontent\.com\)/,
      ),
    ).toHaveTextContent(`subjects: sha256:200000000000`);
  });

  it('shows an API error', async () => {
    const api = mockImmutableReleasesApi();
    api.listReleases.mockRejectedValue(new Error('database is down'));
    await renderOnEntityPage(
      <ReleaseHistoryTable entityRef={entityRef} environments={environments} />,
      { api },
    );
    expect(
      await screen.findByText('Error: database is down'),
    ).toBeInTheDocument();
  });
});
