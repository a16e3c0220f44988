import { SignInPage } from '@backstage/core-components';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * The demo's sign-in page: guest sign-in through the auth backend's guest
 * provider (`auth.providers.guest` in app-config.yaml), which issues a real
 * Backstage token for `user:default/guest`.
 */
const guestSignInPage = SignInPageBlueprint.make({
  params: {
    loader: async () => props =>
      (
        <SignInPage
          {...props}
          title="Immutable Releases demo"
          align="center"
          providers={['guest']}
        />
      ),
  },
});

export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [guestSignInPage],
});
