import { actorName } from './actorName';

describe('actorName', () => {
  it('names users by their name, services by their subject, the engine as automation', () => {
    expect(actorName('user:default/alice')).toBe('alice');
    expect(actorName('user:contractors/bob')).toBe('contractors/bob');
    expect(actorName('external:ci')).toBe('ci');
    expect(actorName('plugin:scaffolder')).toBe('scaffolder');
    expect(actorName('plugin:immutable-releases')).toBe('automation');
    expect(actorName('something-else')).toBe('something-else');
  });
});
