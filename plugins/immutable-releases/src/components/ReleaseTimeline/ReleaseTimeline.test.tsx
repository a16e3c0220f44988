import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  EventFilter,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import {
  entityRef,
  environment,
  mockImmutableReleasesApi,
} from '../../__testUtils__/fixtures';
import { renderOnEntityPage } from '../../__testUtils__/render';
import { formatDay } from './eventDays';
import { EVENTS_PAGE_SIZE, ReleaseTimeline } from './ReleaseTimeline';

/** The tab of the test entity, as the catalog mounts entity pages in the test app. */
const TAB = '/catalog/default/component/shop/releases';

const now = new Date();
const yesterday = new Date(now);
yesterday.setDate(now.getDate() - 1);
const longAgo = '2024-05-01T10:00:00.000Z';

function event(id: string, overrides: Partial<ReleaseEvent>): ReleaseEvent {
  return {
    id,
    type: 'deployment.succeeded',
    entityRef,
    actor: 'user:default/alice',
    at: now.toISOString(),
    details: {},
    ...overrides,
  };
}

const approved = event('e3', {
  type: 'approval.approved',
  environment: 'production',
  releaseId: 'release-1.4.0',
  deploymentId: 'deployment-7',
  details: { kind: 'promotion', version: '1.4.0', comment: 'looks good' },
});
const failed = event('e2', {
  type: 'deployment.failed',
  actor: 'plugin:immutable-releases',
  at: yesterday.toISOString(),
  environment: 'staging',
  releaseId: 'release-1.4.0',
  deploymentId: 'deployment-6',
  details: {
    kind: 'promotion',
    version: '1.4.0',
    message: 'command exited with code 1',
  },
});
const registered = event('e1', {
  type: 'release.registered',
  actor: 'external:ci',
  at: longAgo,
  releaseId: 'release-1.4.0',
  details: {
    version: '1.4.0',
    artifact: { type: 'oci-image', uri: 'ghcr.io/acme/shop' },
    checks: [{ name: 'unit-tests', status: 'passed' }],
  },
});

function apiWithEvents(answer: (options: EventFilter) => ReleaseEvent[]) {
  const api = mockImmutableReleasesApi();
  api.getEnvironments.mockResolvedValue({
    pipeline: 'default',
    environments: [
      environment({ name: 'staging' }),
      environment({ name: 'production', from: 'staging' }),
    ],
  });
  api.listEvents.mockImplementation(async (_ref, options) => ({
    items: answer(options ?? {}),
    nextCursor: null,
  }));
  return api;
}

/** The filters the timeline asked the server for last, without paging. */
function lastFilter(api: ReturnType<typeof mockImmutableReleasesApi>) {
  const [ref, options] = api.listEvents.mock.lastCall!;
  const { limit, cursor, ...filter } = options!;
  expect([ref, limit, cursor]).toEqual([
    entityRef,
    EVENTS_PAGE_SIZE,
    undefined,
  ]);
  return filter;
}

async function choose(select: RegExp, option: string) {
  await userEvent.click(screen.getByRole('button', { name: select }));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

describe('ReleaseTimeline', () => {
  it('reads each event as a sentence under its day, with its time, linked to what it concerns', async () => {
    const api = apiWithEvents(() => [approved, failed, registered]);
    await renderOnEntityPage(<ReleaseTimeline entityRef={entityRef} />, {
      api,
    });

    const timeline = await screen.findByRole('list', {
      name: 'audit timeline',
    });
    const today = within(timeline).getByRole('listitem', { name: 'Today' });
    expect(within(today).getByText('Today')).toBeInTheDocument();
    expect(today).toHaveTextContent(
      'alice approved 1.4.0 for production: looks good',
    );
    expect(
      within(timeline).getByRole('listitem', { name: 'Yesterday' }),
    ).toHaveTextContent(
      'the deployment of 1.4.0 to staging failed: command exited with code 1',
    );
    const older = within(timeline).getByRole('listitem', {
      name: formatDay(new Date(longAgo)),
    });
    expect(older).toHaveTextContent('ci registered 1.4.0');
    expect(older).toHaveTextContent('checks: unit-tests passed');
    expect(timeline.textContent).not.toMatch(/[{}"]/);

    expect(
      screen.getByRole('link', {
        name: 'approved 1.4.0 for production: looks good',
      }),
    ).toHaveAttribute('href', `${TAB}/deployments/deployment-7`);
    expect(
      screen.getByRole('link', { name: 'registered 1.4.0' }),
    ).toHaveAttribute('href', `${TAB}/release-1.4.0`);
    expect(screen.getByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    const time = within(today).getByText(
      `${String(now.getHours()).padStart(2, '0')}:${String(
        now.getMinutes(),
      ).padStart(2, '0')}`,
    );
    expect(time).toHaveAttribute('datetime', approved.at);
  });

  it('shows the full timestamp when pointing at the time', async () => {
    const api = apiWithEvents(() => [registered]);
    await renderOnEntityPage(<ReleaseTimeline entityRef={entityRef} />, {
      api,
    });
    const time = await screen.findByText(
      (_, element) => element?.getAttribute('datetime') === longAgo,
    );
    await userEvent.hover(time);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      `(${longAgo})`,
    );
  });

  it('asks the server for the environment, kind of event and actor chosen, from the first page', async () => {
    const api = apiWithEvents(() => [approved]);
    api.listEvents.mockImplementation(async (_ref, options) =>
      options?.cursor
        ? { items: [registered], nextCursor: null }
        : { items: [approved], nextCursor: 'older' },
    );
    await renderOnEntityPage(<ReleaseTimeline entityRef={entityRef} />, {
      api,
    });
    await screen.findByText('approved 1.4.0 for production: looks good');
    expect(lastFilter(api)).toEqual({
      environment: undefined,
      type: undefined,
      actor: undefined,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('registered 1.4.0');

    await choose(/Environment/, 'production');
    await waitFor(() =>
      expect(lastFilter(api)).toEqual({
        environment: 'production',
        type: undefined,
        actor: undefined,
      }),
    );
    expect(await screen.findByText('Page 1')).toBeInTheDocument();

    await choose(/Events/, 'Approvals');
    await waitFor(() =>
      expect(lastFilter(api)).toMatchObject({
        environment: 'production',
        type: ['approval.'],
      }),
    );

    await choose(/Events/, 'Deployments');
    await waitFor(() =>
      expect(lastFilter(api)).toMatchObject({
        type: ['deployment.', 'promotion.', 'rollback.'],
      }),
    );

    const callsBeforeTyping = api.listEvents.mock.calls.length;
    await userEvent.type(screen.getByRole('textbox', { name: 'Actor' }), 'bob');
    await waitFor(() =>
      expect(lastFilter(api)).toEqual({
        environment: 'production',
        type: ['deployment.', 'promotion.', 'rollback.'],
        actor: 'user:default/bob',
      }),
    );
    // once typing paused, not once per letter
    expect(api.listEvents.mock.calls.length).toBe(callsBeforeTyping + 1);
  });

  it('says when no event matches the filters, and clears them', async () => {
    const api = apiWithEvents(options =>
      options.environment ? [] : [approved],
    );
    await renderOnEntityPage(<ReleaseTimeline entityRef={entityRef} />, {
      api,
    });
    await screen.findByText('approved 1.4.0 for production: looks good');

    await choose(/Environment/, 'staging');
    expect(
      await screen.findByText('No events match these filters.'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Show all events' }),
    );
    expect(
      await screen.findByText('approved 1.4.0 for production: looks good'),
    ).toBeInTheDocument();
    expect(lastFilter(api)).toEqual({
      environment: undefined,
      type: undefined,
      actor: undefined,
    });
    expect(
      screen.queryByRole('button', { name: 'Clear filters' }),
    ).not.toBeInTheDocument();
  });

  it('says so when the entity has no events yet, and shows a failure', async () => {
    const api = apiWithEvents(() => []);
    const { unmount } = await renderOnEntityPage(
      <ReleaseTimeline entityRef={entityRef} />,
      { api },
    );
    expect(await screen.findByText('No events yet.')).toBeInTheDocument();
    unmount();

    api.listEvents.mockRejectedValue(new Error('backend down'));
    await renderOnEntityPage(<ReleaseTimeline entityRef={entityRef} />, {
      api,
    });
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });
});
