import { ArgoCdApiServer, TEST_CA_DATA } from './__testUtils__/ArgoCdApiServer';
import { ArgoCdClient } from './ArgoCdClient';
import { Application } from './argoCdTypes';
import { ArgoCdConnection } from './connectionSettings';

const TOKEN = 'tls-test-token';

describe('ArgoCdClient over HTTPS', () => {
  let api: ArgoCdApiServer;
  const clients: ArgoCdClient[] = [];
  beforeAll(async () => {
    api = await ArgoCdApiServer.start(TOKEN, { tls: true });
    api.addApplication({
      name: 'checkout-production',
      source: { path: 'checkout' },
      manifestImages: ['ghcr.io/acme/checkout:1'],
    });
  });
  afterEach(() => clients.splice(0).forEach(client => client.destroy()));
  afterAll(() => api.stop());

  function getApplication(connection: Partial<ArgoCdConnection>) {
    const client = new ArgoCdClient({
      baseUrl: api.url,
      token: TOKEN,
      skipTLSVerify: false,
      application: 'unused',
      ...connection,
    });
    clients.push(client);
    return client.request<Application>(
      'GET',
      '/api/v1/applications/checkout-production',
    );
  }

  it('trusts the configured caData', async () => {
    await expect(getApplication({ caData: TEST_CA_DATA })).resolves.toEqual(
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'checkout-production' }),
      }),
    );
  });

  it('refuses a certificate it cannot verify, naming the server', async () => {
    await expect(getApplication({})).rejects.toThrow(
      /^Argo CD 127\.0\.0\.1:\d+: GET \/api\/v1\/applications\/checkout-production failed; caused by Error: self[- ]signed certificate/,
    );
  });

  it('skips verification only when skipTLSVerify is set', async () => {
    await expect(getApplication({ skipTLSVerify: true })).resolves.toEqual(
      expect.objectContaining({ spec: expect.anything() }),
    );
  });
});
