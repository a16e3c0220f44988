import http from 'node:http';
import { AddressInfo } from 'node:net';
import {
  digestOf,
  eventually,
  readDeployLog,
  TEST_ENTITY_REF,
} from '../__testUtils__/testEngine';
import {
  describePromotionScenarios,
  ALICE,
  configWith,
} from '../__testUtils__/promotionScenario';

jest.setTimeout(60_000);

describePromotionScenarios(
  'automatic promotions and rollbacks',
  ({ setUp, deploy }) => {
    /** Staging takes each release automatically once it has soaked 10 minutes in development. */
    function setUpSoakedAutoPromotion(clock: () => Date) {
      return setUp(
        configWith(deploy.script, 'staging', {
          soakTime: { minutes: 10 },
          autoPromote: true,
        }),
        clock,
      );
    }

    it('retries an automatic promotion blocked only by soak time once the soak time has passed', async () => {
      let now = Date.parse('2026-11-20T10:00:00Z');
      const { engine, register, current } = await setUpSoakedAutoPromotion(
        () => new Date(now),
      );
      const stagingDeployments = async () =>
        (
          await engine.history.listDeployments(TEST_ENTITY_REF, {
            environment: 'staging',
          })
        ).items;
      await register('1.0.0');
      const blocked = await eventually(
        async () =>
          (
            await engine.history.listEvents(TEST_ENTITY_REF, {})
          ).items.find(e => e.type === 'promotion.blocked'),
        e => e !== undefined,
        'the blocked automatic promotion',
      );
      expect(blocked?.details).toMatchObject({
        retryAt: '2026-11-20T10:10:00.000Z',
      });

      now += 9 * 60_000;
      await engine.automaticPromotions.runScheduledPromotions();
      expect(await stagingDeployments()).toEqual([]);

      now += 2 * 60_000;
      await Promise.all([
        engine.automaticPromotions.runScheduledPromotions(),
        engine.automaticPromotions.runScheduledPromotions(),
      ]);
      await eventually(
        () => current('staging'),
        version => version === '1.0.0',
        '1.0.0 in staging',
      );
      const deployments = await stagingDeployments();
      expect(deployments).toHaveLength(1);
      expect(deployments[0]).toMatchObject({
        requestedBy: 'plugin:immutable-releases',
        reason: 'automatic promotion after success in development',
      });
    });

    it('keeps a scheduled automatic promotion whose retry failed, and tries it again later', async () => {
      let now = Date.parse('2026-11-20T10:00:00Z');
      const { engine, register, current } = await setUpSoakedAutoPromotion(
        () => new Date(now),
      );
      await register('1.0.0');
      await eventually(
        async () =>
          (
            await engine.history.listEvents(TEST_ENTITY_REF, {})
          ).items.some(e => e.type === 'promotion.blocked'),
        blocked => blocked,
        'the blocked automatic promotion',
      );

      now += 11 * 60_000;
      jest
        .spyOn(engine.db.releases, 'getRelease')
        .mockRejectedValueOnce(new Error('database connection reset'));
      await expect(
        engine.automaticPromotions.runScheduledPromotions(),
      ).rejects.toThrow(
        /1 scheduled automatic promotion\(s\) failed and will be retried: database connection reset/,
      );
      expect(await current('staging')).toBeNull();

      now += 61_000;
      await engine.automaticPromotions.runScheduledPromotions();
      await eventually(
        () => current('staging'),
        version => version === '1.0.0',
        '1.0.0 in staging after the second try',
      );
    });

    it('verifies a deployment over HTTP and rolls back automatically, with a hold, when verification fails', async () => {
      const badDigest = digestOf('2.0.0');
      const server = http.createServer((_req, res) => {
        const lastStaging = readDeployLog(deploy.log)
          .filter(l => l.environment === 'staging' && l.what === 'end')
          .at(-1);
        res.statusCode = lastStaging?.ref.endsWith(badDigest) ? 503 : 200;
        res.end(lastStaging?.ref ?? 'nothing deployed');
      });
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', resolve),
      );
      try {
        const url = `http://127.0.0.1:${
          (server.address() as AddressInfo).port
        }/version`;
        const { engine, current, register, finished } = await setUp(
          configWith(deploy.script, 'staging', {
            verification: {
              http: { url, expectStatus: 200 },
              timeout: { milliseconds: 600 },
              interval: { milliseconds: 100 },
            },
            autoRollback: true,
          }),
        );
        const good = await register('1.0.0');
        const { deployment: first } = await engine.promotions.promote(
          {
            entityRef: TEST_ENTITY_REF,
            releaseId: good.id,
            environment: 'staging',
          },
          ALICE,
        );
        const verified = await finished(first!.id);
        expect(verified.transitions.map(t => t.status)).toEqual([
          'pending',
          'running',
          'verifying',
          'succeeded',
        ]);

        const bad = await register('2.0.0');
        const { deployment: second } = await engine.promotions.promote(
          {
            entityRef: TEST_ENTITY_REF,
            releaseId: bad.id,
            environment: 'staging',
          },
          ALICE,
        );
        const failed = await finished(second!.id);
        expect(failed.status).toBe('failed');
        expect(failed.transitions.at(-1)?.message).toMatch(
          /verification failed after \d+ attempts?: GET .* answered 503/,
        );

        const rollback = await eventually(
          async () =>
            (
              await engine.history.listDeployments(TEST_ENTITY_REF, {
                environment: 'staging',
              })
            ).items[0],
          d => d.kind === 'rollback' && d.status === 'succeeded',
          'the automatic rollback',
        );
        expect(rollback).toMatchObject({
          requestedBy: 'plugin:immutable-releases',
          release: { version: '1.0.0' },
        });
        expect(await current('staging')).toBe('1.0.0');
        const staging = (await engine.environments.describe(TEST_ENTITY_REF))
          .environments[1];
        expect(staging.hold?.reason).toMatch(
          /automatic rollback from 2.0.0 to 1.0.0/,
        );
      } finally {
        server.close();
      }
    });
  },
);
