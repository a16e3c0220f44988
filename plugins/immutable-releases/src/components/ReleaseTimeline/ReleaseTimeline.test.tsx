import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import {
  entityRef,
  mockImmutableReleasesApi,
} from '../../__testUtils__/fixtures';
import { renderOnEntityPage } from '../../__testUtils__/render';
import { EVENTS_PAGE_SIZE, ReleaseTimeline } from './ReleaseTimeline';

function event(id: string, overrides: Partial<ReleaseEvent>): ReleaseEvent {
  return {
    id,
    type: 'deployment.succeeded',
    entityRef,
    actor: 'user:default/alice',
    at: '2024-05-01T10:00:00.000Z',
    details: {},
    ...overrides,
  };
}

describe('ReleaseTimeline', () => {
  it('shows type, actor, environment and details, one page at a time', async () => {
    const api = mockImmutableReleasesApi();
    api.listEvents.mockImplementation(async (_ref, options) =>
      options?.cursor
        ? {
            items: [
              event('e1', {
                type: 'release.registered',
                actor: 'ci-pipeline',
                details: { version: '1.0.0' },
              }),
            ],
            nextCursor: null,
          }
        : {
            items: [
              event('e2', {
                type: 'deployment.failed',
                environment: 'production',
                details: {
                  message: 'command exited with code 1',
                  version: '1.1.0',
                },
              }),
            ],
            nextCursor: 'older',
          },
    );
    await renderOnEntityPage(<ReleaseTimeline entityRef={entityRef} />, {
      api,
    });

    expect(await screen.findByText('deployment.failed')).toBeInTheDocument();
    expect(screen.getByText('production')).toBeInTheDocument();
    expect(screen.getByText('user:default/alice')).toBeInTheDocument();
    expect(
      screen.getByText('command exited with code 1 · version: 1.1.0'),
    ).toBeInTheDocument();
    expect(api.listEvents).toHaveBeenCalledWith(entityRef, {
      limit: EVENTS_PAGE_SIZE,
      cursor: undefined,
    });

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('release.registered')).toBeInTheDocument();
    expect(screen.getByText('version: 1.0.0')).toBeInTheDocument();
    expect(api.listEvents).toHaveBeenLastCalledWith(entityRef, {
      limit: EVENTS_PAGE_SIZE,
      cursor: 'older',
    });
  });
});
