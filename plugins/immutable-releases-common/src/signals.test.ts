import { releaseSignalChannel } from './signals';

describe('releaseSignalChannel', () => {
  it('is the full entity ref in lower case after the plugin id', () => {
    expect(releaseSignalChannel('Component:Default/Shop')).toBe(
      'immutable-releases:component:default/shop',
    );
    expect(releaseSignalChannel('component:shop')).toBe(
      'immutable-releases:component:default/shop',
    );
  });
});
