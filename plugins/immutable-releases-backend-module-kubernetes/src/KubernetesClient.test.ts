import {
  KubernetesApiServer,
  TEST_CA_DATA,
} from './__testUtils__/KubernetesApiServer';
import { ClusterDefinition } from './clusterConfig';
import { KubernetesClient } from './KubernetesClient';

const TOKEN = 'tls-test-token';

describe('KubernetesClient over HTTPS', () => {
  let api: KubernetesApiServer;
  const clients: KubernetesClient[] = [];
  beforeAll(async () => {
    api = await KubernetesApiServer.start(TOKEN, { tls: true });
    api.setPods('shop', [
      {
        metadata: { name: 'checkout-1' },
        spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/checkout' }] },
      },
    ]);
  });
  afterEach(() => clients.splice(0).forEach(client => client.destroy()));
  afterAll(() => api.stop());

  function listPods(cluster: Partial<ClusterDefinition>) {
    const client = new KubernetesClient({
      name: 'secure',
      configKey: 'kubernetes.clusterLocatorMethods[0].clusters[0]',
      url: api.url,
      serviceAccountToken: TOKEN,
      skipTLSVerify: false,
      ...cluster,
    });
    clients.push(client);
    return client.list('/api/v1/namespaces/shop/pods');
  }

  it('trusts the cluster’s caData', async () => {
    await expect(listPods({ caData: TEST_CA_DATA })).resolves.toHaveLength(1);
  });

  it('refuses a certificate it cannot verify, naming the cluster', async () => {
    await expect(listPods({})).rejects.toThrow(
      /^cluster secure: GET \/api\/v1\/namespaces\/shop\/pods failed; caused by \w+/,
    );
  });

  it('skips verification only when skipTLSVerify is set', async () => {
    await expect(listPods({ skipTLSVerify: true })).resolves.toHaveLength(1);
  });
});
