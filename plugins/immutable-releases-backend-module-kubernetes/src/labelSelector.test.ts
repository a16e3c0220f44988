import { labelSelectorQuery } from './labelSelector';

describe('labelSelectorQuery', () => {
  it('writes matchLabels and matchExpressions as a list query selector', () => {
    expect(
      labelSelectorQuery({
        matchLabels: { app: 'checkout', tier: 'web' },
        matchExpressions: [
          { key: 'track', operator: 'In', values: ['stable', 'canary'] },
          { key: 'legacy', operator: 'NotIn', values: ['true'] },
          { key: 'team', operator: 'Exists' },
          { key: 'debug', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe(
      'app=checkout,tier=web,track in (stable,canary),legacy notin (true),team,!debug',
    );
    expect(labelSelectorQuery(undefined)).toBe('');
  });
});
