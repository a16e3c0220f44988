import { createTestDatabases } from '@internal/test-utils';
import { mockCredentials } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type {
  Deployment,
  Page,
} from 'backstage-plugin-immutable-releases-common';
import {
  ActionsBackend,
  CAROL,
  CHECKOUT,
  digestOf,
  MALLORY,
  startActionsBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const RELEASES_URL =
  'http://localhost:3000/catalog/default/component/checkout/releases';

describe.each(databases.eachSupportedId())(
  'immutable-releases scaffolder actions on %p',
  databaseId => {
    let started: ActionsBackend;

    beforeAll(async () => {
      started = await startActionsBackend(databases, databaseId);
    });

    afterAll(async () => {
      await started?.stop();
    });

    /** Runs an action as a user, the way the scaffolder runs a step. */
    async function run(
      actionId: string,
      input: Record<string, unknown>,
      options: { user?: string; isDryRun?: boolean } = {},
    ) {
      const action = started.actions.get(actionId);
      if (!action) {
        throw new Error(`${actionId} was not registered`);
      }
      const logs: string[] = [];
      const ctx = {
        ...createMockActionContext({ input: input as any }),
        getInitiatorCredentials: async () =>
          mockCredentials.user(options.user ?? CAROL),
        isDryRun: options.isDryRun ?? false,
      };
      ctx.logger = {
        ...ctx.logger,
        info: (message: string) => {
          logs.push(message);
          return ctx.logger;
        },
      } as typeof ctx.logger;
      await action.handler(ctx);
      const outputs = Object.fromEntries(
        (ctx.output as jest.Mock).mock.calls.map(([name, value]) => [
          name,
          value,
        ]),
      );
      return { outputs, logs };
    }

    async function deployments(): Promise<Deployment[]> {
      const response = await started.api(
        'GET',
        '/v1/entities/component/default/checkout/deployments?limit=200',
      );
      return ((await response.json()) as Page<Deployment>).items;
    }

    function release(version: string, checks: string[] = ['unit-tests']) {
      return {
        entityRef: CHECKOUT,
        version,
        artifact: {
          type: 'oci-image',
          uri: 'ghcr.io/acme/checkout',
          digest: digestOf(version),
        },
        checks: checks.map(name => ({ name, status: 'passed' })),
      };
    }

    it('registers the three actions with the scaffolder, each with examples and dry-run support', () => {
      expect([...started.actions.keys()].sort()).toEqual([
        'immutable-releases:promote',
        'immutable-releases:register',
        'immutable-releases:rollback',
      ]);
      for (const action of started.actions.values()) {
        expect(action.supportsDryRun).toBe(true);
        expect(action.examples?.length).toBeGreaterThan(0);
        expect(action.schema?.input).toMatchObject({ type: 'object' });
      }
    });

    it('registers, promotes and rolls back as the user who ran the template', async () => {
      const first = await run('immutable-releases:register', release('1.0.0'));
      expect(first.outputs).toEqual({
        releaseId: expect.any(String),
        version: '1.0.0',
        created: true,
        releasesUrl: RELEASES_URL,
      });
      const stored = await (
        await started.api('GET', `/v1/releases/${first.outputs.releaseId}`)
      ).json();
      expect(stored.createdBy).toBe(CAROL);

      const again = await run('immutable-releases:register', release('1.0.0'));
      expect(again.outputs).toMatchObject({
        releaseId: first.outputs.releaseId,
        created: false,
      });

      // By version, waiting until the deployment is over.
      const promoted = await run('immutable-releases:promote', {
        entityRef: 'checkout',
        version: '1.0.0',
        environment: 'development',
        reason: 'first deploy',
        waitForCompletion: true,
      });
      expect(promoted.outputs).toEqual({
        deploymentId: expect.any(String),
        status: 'succeeded',
        releaseId: first.outputs.releaseId,
        version: '1.0.0',
        releasesUrl: RELEASES_URL,
      });
      expect(promoted.logs.join('\n')).toMatch(/succeeded by/);
      const deployment: Deployment = await (
        await started.api(
          'GET',
          `/v1/deployments/${promoted.outputs.deploymentId}`,
        )
      ).json();
      expect(deployment).toMatchObject({
        kind: 'promotion',
        status: 'succeeded',
        requestedBy: CAROL,
        reason: 'first deploy',
      });
      expect(deployment.transitions[0].actor).toBe(CAROL);

      const second = await run('immutable-releases:register', release('1.1.0'));
      await run('immutable-releases:promote', {
        entityRef: CHECKOUT,
        releaseId: second.outputs.releaseId,
        environment: 'development',
        waitForCompletion: true,
      });

      const rolledBack = await run('immutable-releases:rollback', {
        entityRef: CHECKOUT,
        environment: 'development',
        reason: 'errors after 1.1.0',
        waitForCompletion: true,
      });
      expect(rolledBack.outputs).toMatchObject({
        status: 'succeeded',
        releaseId: first.outputs.releaseId,
        version: '1.0.0',
        releasesUrl: RELEASES_URL,
      });
      const rollback: Deployment = await (
        await started.api(
          'GET',
          `/v1/deployments/${rolledBack.outputs.deploymentId}`,
        )
      ).json();
      expect(rollback).toMatchObject({
        kind: 'rollback',
        requestedBy: CAROL,
        reason: 'errors after 1.1.0',
      });
    });

    it('fails with every failing gate named when a gate refuses the promotion', async () => {
      const unchecked = await run(
        'immutable-releases:register',
        release('2.0.0', []),
      );
      await run('immutable-releases:promote', {
        entityRef: CHECKOUT,
        version: '2.0.0',
        environment: 'development',
        waitForCompletion: true,
      });
      const before = await deployments();

      await expect(
        run('immutable-releases:promote', {
          entityRef: CHECKOUT,
          releaseId: unchecked.outputs.releaseId,
          environment: 'staging',
        }),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(
          /refused by a gate: required-checks: required checks not passed: unit-tests/,
        ),
      });
      expect(await deployments()).toEqual(before);
    });

    it('dry runs evaluate and log the gates and write nothing', async () => {
      await run('immutable-releases:register', release('3.0.0'));
      await run('immutable-releases:promote', {
        entityRef: CHECKOUT,
        version: '3.0.0',
        environment: 'development',
        waitForCompletion: true,
      });
      const before = await deployments();

      const promote = await run(
        'immutable-releases:promote',
        { entityRef: CHECKOUT, version: '3.0.0', environment: 'staging' },
        { isDryRun: true },
      );
      expect(promote.outputs).toEqual({
        status: 'dry-run',
        releaseId: expect.any(String),
        version: '3.0.0',
        releasesUrl: RELEASES_URL,
      });
      expect(promote.logs).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/gate upstream passes/),
          expect.stringMatching(/gate required-checks passes/),
          expect.stringMatching(/could be promoted to staging/),
        ]),
      );

      const rollback = await run(
        'immutable-releases:rollback',
        { entityRef: CHECKOUT, environment: 'development', reason: 'test' },
        { isDryRun: true },
      );
      expect(rollback.outputs.status).toBe('dry-run');
      expect(rollback.logs.join('\n')).toMatch(
        /would roll development of component:default\/checkout back from 3\.0\.0/,
      );
      await expect(
        run(
          'immutable-releases:rollback',
          { entityRef: CHECKOUT, environment: 'qa', reason: 'test' },
          { isDryRun: true },
        ),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/'qa' is not in the pipeline/),
      });

      const register = await run(
        'immutable-releases:register',
        release('3.1.0'),
        { isDryRun: true },
      );
      expect(register.outputs).toEqual({
        version: '3.1.0',
        created: false,
        releasesUrl: RELEASES_URL,
      });
      await expect(
        run(
          'immutable-releases:register',
          {
            ...release('3.0.0'),
            artifact: {
              ...release('3.0.0').artifact,
              digest: digestOf('other'),
            },
          },
          { isDryRun: true },
        ),
      ).rejects.toMatchObject({
        name: 'ConflictError',
        message: expect.stringMatching(/already has version 3\.0\.0/),
      });

      expect(await deployments()).toEqual(before);
      const releases = await (
        await started.api(
          'GET',
          '/v1/entities/component/default/checkout/releases',
        )
      ).json();
      expect(
        releases.items.map((r: { version: string }) => r.version),
      ).not.toContain('3.1.0');
    });

    it('refuses a user the policy denies, with the permission in the message', async () => {
      await run('immutable-releases:register', release('4.0.0'));
      const before = await deployments();
      await expect(
        run(
          'immutable-releases:promote',
          { entityRef: CHECKOUT, version: '4.0.0', environment: 'development' },
          { user: MALLORY },
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(
          /immutable-releases\.promotion\.create is not allowed on component:default\/checkout/,
        ),
      });
      await expect(
        run(
          'immutable-releases:rollback',
          { entityRef: CHECKOUT, environment: 'development', reason: 'x' },
          { user: MALLORY },
        ),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringMatching(/immutable-releases\.rollback\.create/),
      });
      expect(await deployments()).toEqual(before);
    });

    it('rejects bad input before calling the backend', async () => {
      await expect(
        run('immutable-releases:register', {
          ...release('5.0.0'),
          artifact: {
            type: 'oci-image',
            uri: 'ghcr.io/acme/checkout',
            digest: 'latest',
          },
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /artifact\.digest 'latest' is not a digest/,
        ),
      });
      await expect(
        run('immutable-releases:promote', {
          entityRef: CHECKOUT,
          environment: 'staging',
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: 'give either releaseId or version',
      });
      await expect(
        run('immutable-releases:promote', {
          entityRef: CHECKOUT,
          version: '9.9.9',
          environment: 'staging',
        }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: expect.stringMatching(/has no release with version 9\.9\.9/),
      });
    });
  },
);
