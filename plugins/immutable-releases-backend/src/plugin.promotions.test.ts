import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestDatabases } from '@internal/test-utils';
import { digestOf, readDeployLog } from './__testUtils__/testEngine';
import {
  BASE,
  ENTITY_REF,
  ENTITY_PATH,
  ALICE,
  CI,
  CI_SUBJECT,
  pluginBackendStarter,
  register,
  promoteToStaging,
  getDeployment,
  waitForDeployment,
  environment,
  waitForCurrent,
  listDeployments,
  listEvents,
  gate,
} from './__testUtils__/pluginBackend';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'immutable-releases plugin on %p',
  databaseId => {
    const start = pluginBackendStarter(databases, databaseId);

    it('promotes a new release to development at once, running the deploy command with uri@digest', async () => {
      const { server, log } = await start();

      const release = await register(server, '1.0.0');
      const development = await waitForCurrent(
        server,
        'development',
        release.id,
      );

      expect(development.currentRelease).toEqual({
        id: release.id,
        version: '1.0.0',
        artifact: release.artifact,
        revoked: false,
        deploymentId: development.currentDeployment!.id,
      });
      expect(development.currentDeployment).toMatchObject({
        status: 'succeeded',
        kind: 'promotion',
        releaseId: release.id,
      });
      const ranFor = readDeployLog(log).filter(
        line => line.id === development.currentDeployment!.id,
      );
      expect(
        ranFor.map(line => [line.what, line.ref, line.environment]),
      ).toEqual([
        ['start', `ghcr.io/acme/checkout@${digestOf('1.0.0')}`, 'development'],
        ['end', `ghcr.io/acme/checkout@${digestOf('1.0.0')}`, 'development'],
      ]);
    });

    it('promotes to staging only once the required check passed, with a dry run that stores nothing', async () => {
      const { server, log } = await start();
      const release = await register(server, '1.0.0');
      await waitForCurrent(server, 'development', release.id);
      const promotion = {
        entityRef: ENTITY_REF,
        releaseId: release.id,
        environment: 'staging',
      };

      const refused = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send(promotion);
      expect(refused.status).toBe(409);
      expect(refused.body.error.name).toBe('ConflictError');
      expect(refused.body.response).toEqual({ statusCode: 409 });
      expect(gate(refused.body.gates, 'required-checks')).toMatchObject({
        passed: false,
        message: expect.stringContaining('unit-tests'),
      });
      expect(gate(refused.body.gates, 'upstream').passed).toBe(true);
      expect(await listDeployments(server, 'staging')).toEqual({
        items: [],
        nextCursor: null,
      });

      const unknownEnvironment = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({ ...promotion, environment: 'qa' });
      expect(unknownEnvironment.status).toBe(400);
      expect(unknownEnvironment.body.error.message).toMatch(/environment 'qa'/);
      const unknownRelease = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({ ...promotion, releaseId: 'no-such-release' });
      expect(unknownRelease.status).toBe(404);

      const dryRun = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({ ...promotion, dryRun: true });
      expect(dryRun.status).toBe(200);
      expect(Object.keys(dryRun.body)).toEqual(['gates']);
      expect(gate(dryRun.body.gates, 'required-checks').passed).toBe(false);
      expect(await listDeployments(server, 'staging')).toEqual({
        items: [],
        nextCursor: null,
      });

      const check = await request(server)
        .post(`${BASE}/v1/releases/${release.id}/checks`)
        .set('Authorization', CI)
        .send({
          name: 'unit-tests',
          status: 'passed',
          url: 'https://ci.example.com/runs/1',
        });
      expect(check.status).toBe(201);
      expect(check.body).toMatchObject({
        name: 'unit-tests',
        status: 'passed',
        url: 'https://ci.example.com/runs/1',
        recordedBy: CI_SUBJECT,
      });

      const dryRunAfterCheck = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({ ...promotion, dryRun: true });
      expect(dryRunAfterCheck.status).toBe(200);
      expect(
        dryRunAfterCheck.body.gates.every((g: { passed: boolean }) => g.passed),
      ).toBe(true);
      expect(await listDeployments(server, 'staging')).toEqual({
        items: [],
        nextCursor: null,
      });

      const accepted = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({ ...promotion, reason: 'ship it' });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({
        id: expect.any(String),
        entityRef: ENTITY_REF,
        environment: 'staging',
        releaseId: release.id,
        release: {
          id: release.id,
          version: '1.0.0',
          artifact: release.artifact,
        },
        kind: 'promotion',
        reason: 'ship it',
        requestedBy: 'user:default/alice',
      });

      const finished = await waitForDeployment(server, accepted.body.id);
      expect(finished.status).toBe('succeeded');
      expect(finished.transitions.map(t => t.status)).toEqual([
        'pending',
        'running',
        'succeeded',
      ]);
      for (const transition of finished.transitions) {
        expect(transition).toEqual({
          status: expect.any(String),
          at: expect.stringMatching(
            /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/,
          ),
          actor: expect.any(String),
          message: expect.any(String),
        });
        expect(transition.message).not.toBe('');
      }
      expect(finished.transitions[0].actor).toBe('user:default/alice');
      expect(finished.executor).toMatchObject({
        name: 'local',
        type: 'command',
      });
      expect(finished.executor?.output).toContain(
        `ghcr.io/acme/checkout@${digestOf('1.0.0')}`,
      );
      expect(
        readDeployLog(log).some(
          line =>
            line.id === finished.id &&
            line.environment === 'staging' &&
            line.what === 'end',
        ),
      ).toBe(true);
      expect(
        (await waitForCurrent(server, 'staging', release.id)).currentRelease
          ?.version,
      ).toBe('1.0.0');
    });

    it('rolls staging back to the previous release, holds it, and releases the hold once', async () => {
      const { server } = await start();
      const first = await register(server, '1.0.0', {
        checks: [{ name: 'unit-tests', status: 'passed' }],
      });
      await promoteToStaging(server, first);
      const second = await register(server, '1.1.0', {
        checks: [{ name: 'unit-tests', status: 'passed' }],
      });
      await promoteToStaging(server, second);

      const withoutReason = await request(server)
        .post(`${BASE}/v1/rollbacks`)
        .set('Authorization', ALICE)
        .send({ entityRef: ENTITY_REF, environment: 'staging' });
      expect(withoutReason.status).toBe(400);
      expect(withoutReason.body.error.name).toBe('InputError');
      expect(withoutReason.body.error.message).toMatch(/reason/);
      expect((await listDeployments(server, 'staging')).items).toHaveLength(2);

      const rollback = await request(server)
        .post(`${BASE}/v1/rollbacks`)
        .set('Authorization', ALICE)
        .send({
          entityRef: ENTITY_REF,
          environment: 'staging',
          reason: 'checkout errors spiked',
        });
      expect(rollback.status).toBe(202);
      expect(rollback.body).toMatchObject({
        kind: 'rollback',
        environment: 'staging',
        releaseId: first.id,
        reason: 'checkout errors spiked',
        requestedBy: 'user:default/alice',
      });
      expect((await waitForDeployment(server, rollback.body.id)).status).toBe(
        'succeeded',
      );

      const staging = await waitForCurrent(server, 'staging', first.id);
      expect(staging.currentRelease?.version).toBe('1.0.0');
      expect(staging.hold).toEqual({
        reason: expect.stringContaining('checkout errors spiked'),
        setAt: expect.any(String),
        setBy: 'user:default/alice',
      });

      const released = await request(server)
        .delete(`${ENTITY_PATH}/environments/staging/hold`)
        .set('Authorization', ALICE);
      expect(released.status).toBe(204);
      expect((await environment(server, 'staging')).hold).toBeNull();

      const releasedAgain = await request(server)
        .delete(`${ENTITY_PATH}/environments/staging/hold`)
        .set('Authorization', ALICE);
      expect(releasedAgain.status).toBe(404);
      expect(releasedAgain.body.error.name).toBe('NotFoundError');
    });

    it('stops automatic promotion into a held environment until the hold is released', async () => {
      const { server } = await start();
      const first = await register(server, '1.0.0');
      await waitForCurrent(server, 'development', first.id);
      const second = await register(server, '1.1.0');
      await waitForCurrent(server, 'development', second.id);

      const rollback = await request(server)
        .post(`${BASE}/v1/rollbacks`)
        .set('Authorization', ALICE)
        .send({
          entityRef: ENTITY_REF,
          environment: 'development',
          reason: 'bad build',
        });
      expect(rollback.status).toBe(202);
      expect(rollback.body.releaseId).toBe(first.id);
      await waitForDeployment(server, rollback.body.id);

      const third = await register(server, '1.2.0');
      const development = await environment(server, 'development');
      expect(development.currentRelease?.id).toBe(first.id);
      expect(development.pendingDeployments).toEqual([]);
      expect(development.hold).not.toBeNull();
      expect((await listEvents(server)).items[0]).toMatchObject({
        type: 'promotion.skipped',
        environment: 'development',
        releaseId: third.id,
      });

      const released = await request(server)
        .delete(`${ENTITY_PATH}/environments/development/hold`)
        .set('Authorization', ALICE);
      expect(released.status).toBe(204);
      const fourth = await register(server, '1.3.0');
      await waitForCurrent(server, 'development', fourth.id);
    });

    it('answers 404 for an unknown deployment and 409 for cancelling one that is not pending', async () => {
      const { server } = await start();
      const unknown = await request(server)
        .get(`${BASE}/v1/deployments/no-such-deployment`)
        .set('Authorization', ALICE);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.name).toBe('NotFoundError');

      const cancelUnknown = await request(server)
        .post(`${BASE}/v1/deployments/no-such-deployment/cancel`)
        .set('Authorization', ALICE)
        .send({});
      expect(cancelUnknown.status).toBe(404);

      const release = await register(server, '1.0.0');
      const development = await waitForCurrent(
        server,
        'development',
        release.id,
      );
      const deploymentId = development.currentDeployment!.id;
      const cancel = await request(server)
        .post(`${BASE}/v1/deployments/${deploymentId}/cancel`)
        .set('Authorization', ALICE)
        .send({ reason: 'too late' });
      expect(cancel.status).toBe(409);
      expect(cancel.body.error.name).toBe('ConflictError');
      expect(cancel.body.error.message).toMatch(/succeeded/);
      expect((await getDeployment(server, deploymentId)).status).toBe(
        'succeeded',
      );
    });

    it('refuses a promotion the permission policy denies and stores nothing', async () => {
      const permissions = mockServices.permissions.mock({
        authorize: async requests =>
          requests.map(r => ({
            result:
              r.permission.name === 'immutable-releases.promotion.create'
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })),
      });
      const { server } = await start({ permissions: permissions.factory });
      const release = await register(server, '1.0.0', {
        checks: [{ name: 'unit-tests', status: 'passed' }],
      });
      await waitForCurrent(server, 'development', release.id);
      const eventsBefore = await listEvents(server);

      const denied = await request(server)
        .post(`${BASE}/v1/promotions`)
        .set('Authorization', ALICE)
        .send({
          entityRef: ENTITY_REF,
          releaseId: release.id,
          environment: 'staging',
        });
      expect(denied.status).toBe(403);
      expect(denied.body.error.name).toBe('NotAllowedError');
      expect(denied.body.error.message).toContain(
        'immutable-releases.promotion.create',
      );

      expect(await listDeployments(server, 'staging')).toEqual({
        items: [],
        nextCursor: null,
      });
      expect(await listEvents(server)).toEqual(eventsBefore);
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          expect.objectContaining({
            permission: expect.objectContaining({
              name: 'immutable-releases.promotion.create',
            }),
            resourceRef: ENTITY_REF,
          }),
        ],
        expect.anything(),
      );
    });
  },
);
