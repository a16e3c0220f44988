import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '@internal/test-utils';
import knexFactory from 'knex';
import {
  createReleasesDatabase,
  deploymentFixture,
  releaseFixture,
  listReleases,
} from '../__testUtils__/storeFixtures';
import { toReleaseRow } from './releaseRows';
import { ReleasesDatabase } from './ReleasesDatabase';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'ReleasesDatabase on %p',
  databaseId => {
    // Each test works on an entity of its own, whatever else the database holds.
    let entityRef: string;
    beforeEach(() => {
      entityRef = `component:default/checkout-${randomUUID()}`;
    });

    const createDatabase = () => createReleasesDatabase(databases, databaseId);
    const newRelease = (version: string, forEntity = entityRef) =>
      releaseFixture(forEntity, version);
    const newDeployment = (id: string, releaseId: string, at: string) =>
      deploymentFixture(entityRef, id, releaseId, at);

    it('refuses to empty the append-only tables, to rewrite or delete a deployment, and rows outside the closed lists', async () => {
      const { knex, db } = await createDatabase();
      const release = newRelease('1.0.0');
      expect(await db.releases.insertRelease(release)).toBe('inserted');
      const deploymentId = randomUUID();
      const at = new Date().toISOString();
      await db.deployments.insertDeployment(
        newDeployment(deploymentId, release.id, at),
        { at, actor: 'test', message: 'requested' },
      );
      const refused = {
        message: expect.stringMatching(
          /immutable|must be|violates check constraint/,
        ),
      };

      // SQLite has no TRUNCATE; its DELETE is refused row by row, so only
      // tables that hold a row can show it.
      for (const table of databaseId === 'SQLITE_3'
        ? ['releases', 'deployments']
        : ['releases', 'events', 'release_checks', 'deployments']) {
        const emptying =
          databaseId === 'SQLITE_3'
            ? knex(table).delete()
            : knex.raw(`TRUNCATE ${table} CASCADE`);
        await expect(async () => {
          await emptying;
        }).rejects.toMatchObject(refused);
      }
      for (const change of [
        { requested_by: 'user:default/mallory' },
        { release_id: randomUUID() },
        { gates: '[{"name":"not-revoked","passed":true}]' },
        { reason: 'rewritten' },
      ]) {
        const outcome = await knex('deployments')
          .where({ id: deploymentId })
          .update(change)
          .then(
            () => 'changed',
            (error: Error) => error.message,
          );
        expect({ change, outcome }).toEqual({
          change,
          outcome: expect.stringMatching(/immutable/),
        });
      }
      await expect(async () => {
        await knex('deployments')
          .where({ id: deploymentId })
          .update({ status: 'bogus' });
      }).rejects.toMatchObject(refused);
      await expect(async () => {
        await knex('releases').insert({
          ...toReleaseRow(newRelease('2.0.0')),
          artifact_digest: 'sha256:NOT-A-DIGEST',
        });
      }).rejects.toMatchObject(refused);
      await expect(async () => {
        await knex('releases').insert({
          ...toReleaseRow(newRelease('2.0.1')),
          artifact_type: 'floppy-disk',
        });
      }).rejects.toMatchObject(refused);

      // The columns the engine does change still change.
      await knex('deployments')
        .where({ id: deploymentId })
        .update({ status: 'cancelled', updated_at: new Date().toISOString() });
      expect(await db.deployments.getDeployment(deploymentId)).toMatchObject({
        status: 'cancelled',
        requestedBy: 'test',
      });
      expect((await db.releases.getRelease(release.id))?.version).toBe('1.0.0');
    });

    it('keeps attestations append-only and each bundle once per release', async () => {
      const { knex, db } = await createDatabase();
      const release = newRelease('1.0.0');
      await db.releases.insertRelease(release);
      const attestation = (hash: string) => ({
        id: randomUUID(),
        bundle: { hash },
        bundleSha256: hash.repeat(64),
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        predicateType: 'https://slsa.dev/provenance/v1',
        subjectDigests: [release.artifact.digest],
        signer: {},
        recordedAt: new Date().toISOString(),
        recordedBy: 'ci',
      });
      const [first] = await db.releases.addAttestations(release.id, [
        attestation('a'),
      ]);
      const [again, second] = await db.releases.addAttestations(release.id, [
        attestation('a'),
        attestation('b'),
      ]);
      expect(again).toEqual(first);
      expect(first).not.toHaveProperty('signer');
      expect(
        (await db.releases.listAttestations(release.id)).map(a => [
          a.id,
          a.bundle,
        ]),
      ).toEqual([
        [first.id, { hash: 'a' }],
        [second.id, { hash: 'b' }],
      ]);

      // SQLite has no TRUNCATE.
      for (const change of [
        () => knex('release_attestations').update({ predicate_type: 'x' }),
        () => knex('release_attestations').delete(),
        () =>
          databaseId === 'SQLITE_3'
            ? knex('release_attestations').where('seq', '>', 0).delete()
            : knex.raw('TRUNCATE release_attestations'),
      ]) {
        await expect(async () => {
          await change();
        }).rejects.toMatchObject({
          message: expect.stringMatching(/immutable/),
        });
      }
      expect(await db.releases.listAttestations(release.id)).toHaveLength(2);
    });

    it('writes nothing when a transaction fails half-way', async () => {
      const { db } = await createDatabase();
      const release = newRelease('1.0.0');
      await expect(
        db.transaction(async stores => {
          await stores.releases.insertRelease(release);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.releases.getRelease(release.id)).toBeUndefined();
    });

    if (databaseId.startsWith('POSTGRES')) {
      it('prepares the statements it marks in its transactions too, unless told not to', async () => {
        const shared = await databases.init(databaseId);
        const preparedAfterATransaction = async (
          preparedStatements: boolean,
        ) => {
          // One connection: prepared statements belong to a session.
          const knex = knexFactory({
            ...shared.client.config,
            pool: { min: 1, max: 1 },
          });
          try {
            const db = await ReleasesDatabase.fromKnex(knex, {
              preparedStatements,
            });
            await db.transaction(stores =>
              stores.holds.releaseHold({ entityRef, environment: 'staging' }),
            );
            const { rows } = await knex.raw(
              'select statement from pg_prepared_statements',
            );
            return rows.map((row: { statement: string }) => row.statement);
          } finally {
            await knex.destroy();
          }
        };

        expect(await preparedAfterATransaction(true)).toEqual([
          expect.stringMatching(/^delete from "environment_holds"/),
        ]);
        expect(await preparedAfterATransaction(false)).toEqual([]);
      });
    }

    it('registers a release with its checks, attestations and event at once, and writes nothing for a taken version', async () => {
      const { db } = await createDatabase();
      const at = new Date().toISOString();
      const check = (name: string, status: 'passed' | 'failed') => ({
        name,
        status,
        recordedAt: at,
        recordedBy: 'ci',
      });
      const event = (releaseId: string) => ({
        id: randomUUID(),
        type: 'release.registered',
        entityRef,
        releaseId,
        actor: 'ci',
        at,
        details: {},
      });
      const attestation = (name: string) => ({
        id: randomUUID(),
        bundle: { name },
        bundleSha256: name.padEnd(64, '0'),
        mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
        predicateType: 'https://slsa.dev/provenance/v1',
        subjectDigests: [`sha256:${'a'.repeat(64)}`],
        signer: { keyHint: name },
        recordedAt: at,
        recordedBy: 'ci',
      });
      const first = newRelease('1.0.0');
      expect(
        await db.registerRelease(
          first,
          [check('unit-tests', 'failed'), check('unit-tests', 'passed')],
          [attestation('first')],
          [event(first.id)],
        ),
      ).toBe('inserted');

      const sameVersion = { ...newRelease('1.0.0'), id: randomUUID() };
      expect(
        await db.registerRelease(
          sameVersion,
          [check('lint', 'passed')],
          [attestation('second')],
          [event(sameVersion.id)],
        ),
      ).toBe('conflict');

      expect(
        (await db.releases.getReleaseByVersion(entityRef, '1.0.0'))?.id,
      ).toBe(first.id);
      const checks = await db.releases.latestChecks([first.id, sameVersion.id]);
      expect(checks.get(first.id)?.map(c => c.status)).toEqual(['passed']);
      expect(checks.has(sameVersion.id)).toBe(false);
      expect(
        (await db.releases.listAttestations(first.id)).map(a => a.bundle),
      ).toEqual([{ name: 'first' }]);
      expect(await db.releases.listAttestations(sameVersion.id)).toEqual([]);
      const events = await db.events.listEvents(entityRef, { limit: 10 });
      expect(events.items.map(e => e.releaseId)).toEqual([first.id]);
    });

    it('registers releases that arrive together in one go, each chained after the one before, and refuses only the taken versions', async () => {
      const { db } = await createDatabase();
      const otherEntity = `component:default/payments-${randomUUID()}`;
      const at = new Date().toISOString();
      const register = (release: ReturnType<typeof newRelease>) =>
        db.registerRelease(
          release,
          [
            {
              name: 'unit-tests',
              status: 'passed',
              recordedAt: at,
              recordedBy: 'ci',
            },
          ],
          [],
          [
            {
              id: randomUUID(),
              type: 'release.registered',
              entityRef: release.entityRef,
              releaseId: release.id,
              actor: 'ci',
              at,
              details: { version: release.version },
            },
          ],
        );
      const releases = [
        newRelease('1.0.0'),
        // The first is written alone; the rest arrive meanwhile and go
        // together: a version taken before, and one taken within the batch.
        newRelease('1.1.0'),
        newRelease('1.1.0'),
        newRelease('1.0.0'),
        newRelease('2.0.0', otherEntity),
        newRelease('1.2.0'),
      ];

      const outcomes = await Promise.all(releases.map(register));

      expect(outcomes).toEqual([
        'inserted',
        'inserted',
        'conflict',
        'conflict',
        'inserted',
        'inserted',
      ]);
      const page = await listReleases(db, entityRef, {
        limit: 10,
      });
      expect(
        page.items.map(release => [
          release.version,
          release.checks?.map(check => check.name),
        ]),
      ).toEqual([
        ['1.2.0', ['unit-tests']],
        ['1.1.0', ['unit-tests']],
        ['1.0.0', ['unit-tests']],
      ]);
      const chain = await db.events.verifyChain(entityRef);
      expect(chain).toMatchObject({ valid: true, events: 3 });
      expect(
        (
          await db.events.listEvents(entityRef, { limit: 10, order: 'oldest' })
        ).items.map(event => event.details.version),
      ).toEqual(['1.0.0', '1.1.0', '1.2.0']);
      expect(await db.events.verifyChain(otherEntity)).toMatchObject({
        valid: true,
        events: 1,
      });
    });
  },
);
