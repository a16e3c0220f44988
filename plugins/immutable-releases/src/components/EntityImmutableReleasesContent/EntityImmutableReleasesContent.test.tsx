import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Page, Release } from 'backstage-plugin-immutable-releases-common';
import {
  currentRelease,
  entity,
  entityRef,
  environment,
  mockImmutableReleasesApi,
  release,
} from '../../__testUtils__/fixtures';
import { deferred, renderOnEntityPage } from '../../__testUtils__/render';
import { mockSignalApi } from '../../__testUtils__/signals';
import { EntityImmutableReleasesContent } from './EntityImmutableReleasesContent';

function withEnvironments() {
  const api = mockImmutableReleasesApi();
  api.getEnvironments.mockResolvedValue({
    pipeline: 'default',
    environments: [
      environment({ name: 'staging', currentRelease: currentRelease('1.4.0') }),
      environment({
        name: 'production',
        from: 'staging',
        currentRelease: currentRelease('1.3.0'),
      }),
    ],
  });
  return api;
}

describe('EntityImmutableReleasesContent', () => {
  it('explains how to register a release when the entity has none', async () => {
    const api = withEnvironments();
    api.listReleases.mockResolvedValue({ items: [], nextCursor: null });
    await renderOnEntityPage(<EntityImmutableReleasesContent />, { api });

    expect(await screen.findByText('No releases yet')).toBeInTheDocument();
    expect(
      screen.getByText(/api\/immutable-releases\/v1\/releases/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/"entityRef":"component:default\/shop"/),
    ).toBeInTheDocument();
  });

  it('shows the pipeline, the history and the timeline', async () => {
    const api = withEnvironments();
    api.listReleases.mockResolvedValue({
      items: [release({ version: '1.4.0' }), release({ version: '1.3.0' })],
      nextCursor: null,
    });
    api.listEvents.mockResolvedValue({
      items: [
        {
          id: 'e1',
          type: 'deployment.succeeded',
          entityRef,
          environment: 'production',
          actor: 'user:default/alice',
          at: '2024-05-01T10:00:00Z',
          details: { kind: 'promotion', version: '1.3.0' },
        },
      ],
      nextCursor: null,
    });
    await renderOnEntityPage(<EntityImmutableReleasesContent />, { api });

    expect(await screen.findByText('Pipeline default')).toBeInTheDocument();
    expect(
      screen.getByRole('listitem', { name: 'environment production' }),
    ).toHaveTextContent('1.3.0');
    const history = await screen.findByRole('table', {
      name: 'release history',
    });
    expect(within(history).getByText('1.4.0')).toBeInTheDocument();
    expect(
      await screen.findByText('1.3.0 succeeded in production'),
    ).toBeInTheDocument();
    // one page, never everything, asked for once: with the pipeline, not again by the table
    expect(api.listReleases).toHaveBeenCalledTimes(1);
    expect(api.listReleases).toHaveBeenCalledWith(entityRef, { limit: 20 });
    // the timeline's environment filter takes the tab's environments
    expect(api.getEnvironments).toHaveBeenCalledTimes(1);
  });

  it('opens the promote dialog with the dry run', async () => {
    const api = withEnvironments();
    api.listReleases.mockResolvedValue({
      items: [release({ version: '1.4.0' })],
      nextCursor: null,
    });
    api.listEvents.mockResolvedValue({ items: [], nextCursor: null });
    api.dryRunPromotion.mockResolvedValue({
      gates: [
        { name: 'upstream', passed: true, message: 'succeeded in staging' },
      ],
    });
    await renderOnEntityPage(<EntityImmutableReleasesContent />, { api });

    const promote = await screen.findByRole('button', {
      name: 'Promote to production',
    });
    await waitFor(() => expect(promote).toBeEnabled());
    await userEvent.click(promote);
    expect(await screen.findByText('upstream: passed')).toBeInTheDocument();
    expect(api.dryRunPromotion).toHaveBeenCalledWith({
      entityRef,
      releaseId: 'release-1.4.0',
      environment: 'production',
    });
  });

  it('reloads the pipeline and the timeline when a deployment of the entity changes', async () => {
    const api = withEnvironments();
    api.listReleases.mockResolvedValue({
      items: [release({ version: '1.4.0' })],
      nextCursor: null,
    });
    api.listEvents.mockResolvedValue({ items: [], nextCursor: null });
    const signals = mockSignalApi();
    await renderOnEntityPage(<EntityImmutableReleasesContent />, {
      api,
      signalApi: signals.api,
    });
    expect(
      await screen.findByRole('listitem', { name: 'environment production' }),
    ).toHaveTextContent('1.3.0');

    api.getEnvironments.mockResolvedValue({
      pipeline: 'default',
      environments: [
        environment({
          name: 'staging',
          currentRelease: currentRelease('1.4.0'),
        }),
        environment({
          name: 'production',
          from: 'staging',
          currentRelease: currentRelease('1.4.0'),
        }),
      ],
    });
    api.listEvents.mockResolvedValue({
      items: [
        {
          id: 'e2',
          type: 'deployment.succeeded',
          entityRef,
          environment: 'production',
          actor: 'user:default/alice',
          at: new Date().toISOString(),
          details: { kind: 'promotion', version: '1.4.0' },
        },
      ],
      nextCursor: null,
    });
    signals.publish('immutable-releases:component:default/shop', {
      type: 'deployment.succeeded',
      deploymentId: 'd1',
      environment: 'production',
    });

    await waitFor(
      () =>
        expect(
          screen.getByRole('listitem', { name: 'environment production' }),
        ).toHaveTextContent('1.4.0'),
      { timeout: 5000 },
    );
    expect(
      await screen.findByText('1.4.0 succeeded in production'),
    ).toBeInTheDocument();
  });

  it('shows an API error', async () => {
    const api = mockImmutableReleasesApi();
    api.getEnvironments.mockRejectedValue(new Error('backend unavailable'));
    api.listReleases.mockResolvedValue({ items: [], nextCursor: null });
    await renderOnEntityPage(<EntityImmutableReleasesContent />, { api });
    expect(
      await screen.findByText('Error: backend unavailable'),
    ).toBeInTheDocument();
  });

  it('tells how to set up an entity that names no pipeline', async () => {
    const api = mockImmutableReleasesApi();
    api.getEnvironments.mockRejectedValue(
      new Error(
        'component:default/shop has no immutable-releases/pipeline annotation',
      ),
    );
    api.listReleases.mockResolvedValue({ items: [], nextCursor: null });
    await renderOnEntityPage(<EntityImmutableReleasesContent />, {
      api,
      entity: { ...entity, metadata: { name: 'shop', namespace: 'default' } },
    });
    expect(
      await screen.findByText('Not set up for releases'),
    ).toBeInTheDocument();
    // the snippet is highlighted word by word
    expect(document.body).toHaveTextContent(
      'annotations: immutable-releases/pipeline: default',
    );
  });

  it('shows where the pipeline and the history will be while they load', async () => {
    const api = withEnvironments();
    const releases = deferred<Page<Release>>();
    api.listReleases.mockReturnValue(releases.promise);
    await renderOnEntityPage(<EntityImmutableReleasesContent />, { api });
    expect(
      screen.getByRole('progressbar', { name: 'loading release history' }),
    ).toBeInTheDocument();
    releases.resolve({ items: [], nextCursor: null });
    expect(await screen.findByText('No releases yet')).toBeInTheDocument();
  });
});
