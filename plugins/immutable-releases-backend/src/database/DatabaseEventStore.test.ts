import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '@internal/test-utils';
import {
  RecordedReleaseEvent,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import knexFactory, { Knex } from 'knex';
import { eventHash } from '../../bin/immutable-releases-audit';
import { createReleasesDatabase } from '../__testUtils__/storeFixtures';
import { EventFilter } from './EventStore';
import { ReleasesDatabase } from './ReleasesDatabase';

const databases = createTestDatabases();

function event(
  entityRef: string,
  type: string,
  details: Record<string, unknown> = {},
): ReleaseEvent {
  return {
    id: randomUUID(),
    type,
    entityRef,
    actor: 'user:default/alice',
    at: new Date().toISOString(),
    details,
  };
}

/** Every event of the entity, oldest first, as the API answers them. */
async function trailOf(db: ReleasesDatabase, entityRef: string) {
  const trail: RecordedReleaseEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await db.events.listEvents(entityRef, {
      order: 'oldest',
      limit: 200,
      cursor,
    });
    trail.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return trail;
}

/** Lets a test tamper with the events table as an attacker with SQL access could. */
async function liftEventGuards(knex: Knex) {
  if (knex.client.config.client === 'pg') {
    await knex.raw('ALTER TABLE events DISABLE TRIGGER events_refuse_change');
  } else {
    await knex.raw('DROP TRIGGER events_refuse_update');
    await knex.raw('DROP TRIGGER events_refuse_delete');
  }
}

describe.each(databases.eachSupportedId())(
  'DatabaseEventStore on %p',
  databaseId => {
    const checkout = `component:default/checkout-${randomUUID()}`;
    const payments = `component:default/payments-${randomUUID()}`;

    it('chains the events of several entities appended in one call, each after its own previous event', async () => {
      const { db } = await createReleasesDatabase(databases, databaseId);
      await db.events.append([event(checkout, 'release.registered')]);

      const appended = await db.events.append([
        event(payments, 'release.registered', { version: '1.0.0' }),
        event(checkout, 'deployment.requested', { nested: { b: 1, a: [2] } }),
        event(payments, 'deployment.requested'),
        event(checkout, 'deployment.running'),
      ]);

      const checkoutTrail = await trailOf(db, checkout);
      const paymentsTrail = await trailOf(db, payments);
      expect(checkoutTrail.map(e => e.type)).toEqual([
        'release.registered',
        'deployment.requested',
        'deployment.running',
      ]);
      for (const trail of [checkoutTrail, paymentsTrail]) {
        trail.forEach((recorded, index) => {
          expect(recorded.prevHash).toBe(
            index === 0 ? null : trail[index - 1].hash,
          );
          expect(recorded.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
          // What the API answers alone gives the hash back.
          expect(eventHash(recorded, recorded.prevHash)).toBe(recorded.hash);
        });
      }
      expect(appended.map(e => e.hash)).toEqual([
        paymentsTrail[0].hash,
        checkoutTrail[1].hash,
        paymentsTrail[1].hash,
        checkoutTrail[2].hash,
      ]);
      await expect(db.events.verifyChain(checkout)).resolves.toEqual({
        valid: true,
        events: 3,
        head: checkoutTrail[2].hash,
      });
      await expect(
        db.events.verifyChain('component:default/none'),
      ).resolves.toEqual({
        valid: true,
        events: 0,
        head: null,
      });
    });

    it("pages an entity's events newest and oldest first, among the events of entities named next to it", async () => {
      const { db } = await createReleasesDatabase(databases, databaseId);
      const entity = `component:default/orders-${randomUUID()}`;
      const own = Array.from({ length: 5 }, (_, i) =>
        event(entity, 'observation.recorded', { i }),
      );
      await db.events.append([
        event(entity.slice(0, -1), 'release.registered'),
        own[0],
        event(`${entity}-next`, 'release.registered'),
        ...own.slice(1, 3),
        event(`${entity}0`, 'release.registered'),
        ...own.slice(3),
      ]);

      const pageThrough = async (order: 'newest' | 'oldest') => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await db.events.listEvents(entity, {
            order,
            limit: 2,
            cursor,
          });
          seen.push(...page.items.map(e => e.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return seen;
      };

      const ids = own.map(e => e.id);
      expect(await pageThrough('oldest')).toEqual(ids);
      expect(await pageThrough('newest')).toEqual([...ids].reverse());
    });

    it('verifies a long trail a batch at a time', async () => {
      const { db } = await createReleasesDatabase(databases, databaseId);
      const events = Array.from({ length: 2500 }, (_, i) =>
        event(checkout, 'observation.recorded', { i }),
      );
      await db.events.append(events);

      const verification = await db.events.verifyChain(checkout);

      expect(verification).toMatchObject({ valid: true, events: 2500 });
    });

    it('finds an event whose details were edited with SQL', async () => {
      const { knex, db } = await createReleasesDatabase(databases, databaseId);
      const events = [
        event(checkout, 'release.registered'),
        event(checkout, 'deployment.requested', { reason: 'ship it' }),
        event(checkout, 'deployment.succeeded'),
      ];
      await db.events.append(events);
      await liftEventGuards(knex);

      await knex('events')
        .where({ id: events[1].id })
        .update({ details: JSON.stringify({ reason: 'nothing to see' }) });

      await expect(db.events.verifyChain(checkout)).resolves.toEqual({
        valid: false,
        brokenAt: events[1].id,
        events: 1,
        reason: expect.stringMatching(
          /^hash does not match the event’s content/,
        ),
      });
    });

    it('finds a deleted event: in the middle by the next link, at the end by the recorded head, and a deleted head', async () => {
      const { knex, db } = await createReleasesDatabase(databases, databaseId);
      const events = [1, 2, 3, 4].map(i => event(checkout, `step.${i}`));
      await db.events.append(events);
      await liftEventGuards(knex);

      await knex('events').where({ id: events[1].id }).delete();
      await expect(db.events.verifyChain(checkout)).resolves.toMatchObject({
        valid: false,
        brokenAt: events[2].id,
        events: 1,
        reason: expect.stringMatching(/^prevHash does not match/),
      });

      await knex('events').whereIn('id', [events[2].id, events[3].id]).delete();
      await expect(db.events.verifyChain(checkout)).resolves.toMatchObject({
        valid: false,
        brokenAt: events[3].id,
        events: 1,
        reason: expect.stringMatching(/newest events were removed/),
      });

      await knex('event_chain_heads').where({ entity_ref: checkout }).delete();
      await expect(db.events.verifyChain(checkout)).resolves.toMatchObject({
        valid: false,
        brokenAt: events[0].id,
        reason: expect.stringMatching(/no recorded chain head/),
      });
    });

    describe('filters', () => {
      /** 30 events: 3 deployments × (requested, approved, running, succeeded) plus others. */
      async function seedTrail(db: ReleasesDatabase) {
        const of = (
          type: string,
          fields: Partial<ReleaseEvent>,
        ): ReleaseEvent => ({ ...event(checkout, type), ...fields });
        const events: ReleaseEvent[] = [];
        for (let i = 1; i <= 3; i++) {
          const releaseId = `release-${i}`;
          events.push(of('release.registered', { releaseId, actor: 'ci' }));
          events.push(of('check.recorded', { releaseId, actor: 'ci' }));
          for (const environment of ['staging', 'production']) {
            const deployment = {
              releaseId,
              environment,
              deploymentId: `deployment-${i}-${environment}`,
            };
            events.push(of('deployment.requested', deployment));
            events.push(
              of('approval.approved', {
                ...deployment,
                actor: 'user:default/bob',
              }),
            );
            events.push(of('deployment.running', deployment));
            events.push(of('deployment.succeeded', deployment));
          }
        }
        events.push(
          of('hold.set', { environment: 'production', actor: 'ci' }),
          of('drift.changed', { environment: 'staging' }),
        );
        await db.events.append(events);
        // Another entity's events never show up in checkout's filters.
        await db.events.append([
          {
            ...event(payments, 'deployment.requested'),
            environment: 'production',
            deploymentId: 'deployment-1-production',
          },
        ]);
        return events;
      }

      /** Every event the filter keeps, newest first, read in pages of 2. */
      async function filtered(db: ReleasesDatabase, filter: EventFilter) {
        const seen: RecordedReleaseEvent[] = [];
        let cursor: string | undefined;
        do {
          const page = await db.events.listEvents(checkout, {
            ...filter,
            limit: 2,
            cursor,
          });
          seen.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return seen;
      }

      it('keeps the events of an environment, actor, deployment or release, newest first, page by page', async () => {
        const { db } = await createReleasesDatabase(databases, databaseId);
        const events = await seedTrail(db);
        const expected = (keep: (e: ReleaseEvent) => boolean) =>
          events
            .filter(keep)
            .map(e => e.id)
            .reverse();

        const ids = async (filter: EventFilter) =>
          (await filtered(db, filter)).map(e => e.id);

        expect(await ids({ environment: 'production' })).toEqual(
          expected(e => e.environment === 'production'),
        );
        expect(await ids({ actor: 'user:default/bob' })).toEqual(
          expected(e => e.actor === 'user:default/bob'),
        );
        expect(await ids({ deploymentId: 'deployment-2-staging' })).toEqual(
          expected(e => e.deploymentId === 'deployment-2-staging'),
        );
        expect(await ids({ releaseId: 'release-3' })).toEqual(
          expected(e => e.releaseId === 'release-3'),
        );
        expect(
          await ids({ environment: 'production', actor: 'user:default/bob' }),
        ).toHaveLength(3);
        expect(await ids({ deploymentId: 'no-such-deployment' })).toEqual([]);
      });

      it('keeps the events of exact types and of type groups', async () => {
        const { db } = await createReleasesDatabase(databases, databaseId);
        await seedTrail(db);
        const types = async (filter: EventFilter) => [
          ...new Set((await filtered(db, filter)).map(e => e.type)),
        ];

        expect(await types({ type: ['deployment.'] })).toEqual([
          'deployment.succeeded',
          'deployment.running',
          'deployment.requested',
        ]);
        expect(
          await types({ type: ['hold.', 'drift.', 'release.registered'] }),
        ).toEqual(['drift.changed', 'hold.set', 'release.registered']);
        expect(
          await filtered(db, {
            type: ['approval.'],
            environment: 'staging',
            releaseId: 'release-1',
          }),
        ).toEqual([
          expect.objectContaining({
            type: 'approval.approved',
            deploymentId: 'deployment-1-staging',
          }),
        ]);
        await expect(filtered(db, { type: ['nothing.'] })).rejects.toThrow(
          /type 'nothing\.' is no group of event types/,
        );
      });
    });

    it('writes nothing of a batch when the transaction it runs in fails', async () => {
      const { db } = await createReleasesDatabase(databases, databaseId);
      await db.events.append([event(checkout, 'release.registered')]);

      await expect(
        db.transaction(async stores => {
          await stores.events.append([event(checkout, 'deployment.requested')]);
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await db.events.append([event(checkout, 'deployment.cancelled')]);

      expect((await trailOf(db, checkout)).map(e => e.type)).toEqual([
        'release.registered',
        'deployment.cancelled',
      ]);
      await expect(db.events.verifyChain(checkout)).resolves.toMatchObject({
        valid: true,
        events: 2,
      });
    });

    if (databaseId !== 'SQLITE_3') {
      it('forms one chain from concurrent appends of two backends to one entity', async () => {
        const { knex, db } = await createReleasesDatabase(
          databases,
          databaseId,
        );
        const replicas = [knex, cloneOf(knex)];
        try {
          const stores = [db, await ReleasesDatabase.fromKnex(replicas[1])];
          const rounds = 25;
          await Promise.all(
            stores.flatMap((store, replica) =>
              Array.from({ length: rounds }, (_, round) =>
                store.transaction(tx =>
                  tx.events.append([
                    event(checkout, 'step', { replica, round }),
                    event(payments, 'step', { replica, round }),
                    event(checkout, 'step', { replica, round, second: true }),
                  ]),
                ),
              ),
            ),
          );

          for (const [entityRef, count] of [
            [checkout, 4 * rounds],
            [payments, 2 * rounds],
          ] as const) {
            await expect(
              db.events.verifyChain(entityRef),
            ).resolves.toMatchObject({ valid: true, events: count });
          }
        } finally {
          await replicas[1].destroy();
        }
      });
    }
  },
);

/** A second connection pool to the same database, as a second backend replica has. */
function cloneOf(knex: Knex): Knex {
  return knexFactory({
    client: knex.client.config.client,
    connection: knex.client.config.connection,
    pool: { min: 0, max: 5 },
  });
}
