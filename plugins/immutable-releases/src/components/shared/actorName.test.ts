import { actorName } from './actorName';

describe('actorName', () => {
  it('shows a user of the default namespace by name', () => {
    expect(actorName('user:default/alice')).toBe('alice');
  });

  it('keeps the namespace of other users, and other principals as they are', () => {
    expect(actorName('user:platform/bob')).toBe('user:platform/bob');
    expect(actorName('group:default/release-managers')).toBe(
      'group:default/release-managers',
    );
    expect(actorName('immutable-releases')).toBe('immutable-releases');
  });
});
