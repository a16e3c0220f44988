import { createRouteRef } from '@backstage/core-plugin-api';

/** The portal page: what waits for the user's approval, and the fleet. */
export const rootRouteRef = createRouteRef({
  id: 'immutable-releases',
});

/** The Releases tab of an entity page. */
export const entityContentRouteRef = createRouteRef({
  id: 'immutable-releases:entity-content',
});
