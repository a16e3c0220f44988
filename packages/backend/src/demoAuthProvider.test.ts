import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import { demoAuthProviderModule } from './demoAuthProvider';

describe('the demo auth provider', () => {
  it('does not exist unless auth.providers.demo.dangerouslyAllowSignInAsAnyUser is true', async () => {
    const backend = await startTestBackend({
      features: [
        authPlugin,
        demoAuthProviderModule,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: { providers: { demo: {} } },
          },
        }),
      ],
    });
    const response = await fetch(
      `http://localhost:${backend.server.port()}/api/auth/demo/refresh`,
      { headers: { 'x-demo-user': 'alice' } },
    );
    expect(response.status).toBe(404);
    await backend.stop();
  });
});
