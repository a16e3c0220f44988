import { immutableReleasesSignalChannel } from './liveUpdates';

describe('immutableReleasesSignalChannel', () => {
  it('names the entity by its full, lower-cased ref, as the backend stores it', () => {
    expect(immutableReleasesSignalChannel('Component:Default/Checkout')).toBe(
      'immutable-releases:component:default/checkout',
    );
    expect(immutableReleasesSignalChannel('component:checkout')).toBe(
      'immutable-releases:component:default/checkout',
    );
  });
});
