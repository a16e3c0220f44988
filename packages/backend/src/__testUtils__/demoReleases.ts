import { createHash } from 'node:crypto';
import { eventually } from '@internal/test-utils';
import { DemoBackend, RESTRICTED_CI_TOKEN } from './demoBackend';

export const API = '/api/immutable-releases';
export const CHECKOUT = 'component:default/checkout';
export const CHECKOUT_PATH = `${API}/v1/entities/component/default/checkout`;

export function digestOf(seed: string) {
  return `sha256:${createHash('sha256').update(seed).digest('hex')}`;
}

export function releaseBody(version: string) {
  return {
    entityRef: CHECKOUT,
    version,
    artifact: {
      type: 'oci-image',
      uri: 'ghcr.io/acme/checkout',
      digest: digestOf(version),
    },
    checks: [{ name: 'unit-tests', status: 'passed' }],
  };
}

/**
 * Calls the tests of the demo backend make about releases: `demo` and
 * `readerToken` are read at each call, once the backend has started.
 */
export function demoReleaseCalls(
  demo: () => DemoBackend,
  readerToken: () => string,
) {
  /** Registers a release with the restricted CI token and waits until development runs it. */
  async function registerAndDeployToDevelopment(version: string) {
    const registered = await demo().call(
      RESTRICTED_CI_TOKEN,
      'POST',
      `${API}/v1/releases`,
      releaseBody(version),
    );
    expect(registered.status).toBe(201);
    await waitForCurrent('development', version);
    return registered.body.id as string;
  }

  async function waitForCurrent(environment: string, version: string) {
    await eventually(async () => {
      const { body } = await demo().call(
        readerToken(),
        'GET',
        `${CHECKOUT_PATH}/environments`,
      );
      const env = body.environments.find(
        (e: { name: string }) => e.name === environment,
      );
      expect(env.currentRelease?.version).toBe(version);
    });
  }

  async function waitForStatus(deploymentId: string, status: string) {
    return eventually(async () => {
      const { body } = await demo().call(
        readerToken(),
        'GET',
        `${API}/v1/deployments/${deploymentId}`,
      );
      expect(body.status).toBe(status);
      return body;
    });
  }

  return { registerAndDeployToDevelopment, waitForCurrent, waitForStatus };
}
