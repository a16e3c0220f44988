import {
  actorRef,
  hasFilters,
  NO_FILTERS,
  toEventFilter,
} from './timelineFilters';

describe('toEventFilter', () => {
  it('asks for nothing in particular when nothing is chosen', () => {
    expect(toEventFilter(NO_FILTERS)).toEqual({
      environment: undefined,
      type: undefined,
      actor: undefined,
    });
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters({ ...NO_FILTERS, actor: '  ' })).toBe(false);
  });

  it('sends a group as its type groups and the actor as events name it', () => {
    const filters = {
      environment: 'production',
      group: 'deployments' as const,
      actor: 'alice',
    };
    expect(toEventFilter(filters)).toEqual({
      environment: 'production',
      type: ['deployment.', 'promotion.', 'rollback.'],
      actor: 'user:default/alice',
    });
    expect(hasFilters(filters)).toBe(true);
  });
});

describe('actorRef', () => {
  it('reads a bare name as a user of the default namespace, a ref or subject as typed', () => {
    expect(actorRef(' alice ')).toBe('user:default/alice');
    expect(actorRef('contractors/bob')).toBe('user:contractors/bob');
    expect(actorRef('user:default/carol')).toBe('user:default/carol');
    expect(actorRef('external:ci')).toBe('external:ci');
    expect(actorRef('')).toBeUndefined();
  });
});
