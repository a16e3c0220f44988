import { createRouteRef } from '@backstage/core-plugin-api';

/** The Releases tab of an entity page. */
export const rootRouteRef = createRouteRef({
  id: 'immutable-releases',
});
