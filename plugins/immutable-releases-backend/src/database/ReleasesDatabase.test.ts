import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '@internal/test-databases';
import { environmentKeyId } from './ObservationStore';
import { toReleaseRow } from './DatabaseReleaseStore';
import { ReleasesDatabase } from './ReleasesDatabase';

const databases = createTestDatabases();

// better-sqlite3 errors come from another realm once another suite loaded the
// driver in this worker, so `toThrow` would not recognise them as errors.
const refusedAsImmutable = { message: expect.stringMatching(/immutable/) };

describe.each(databases.eachSupportedId())(
  'ReleasesDatabase on %p',
  databaseId => {
    // Each test works on an entity of its own, whatever else the database holds.
    let entityRef: string;
    beforeEach(() => {
      entityRef = `component:default/checkout-${randomUUID()}`;
    });

    async function createDatabase() {
      const knex = await databases.init(databaseId);
      const db = await ReleasesDatabase.fromKnex(knex);
      return { knex, db };
    }

    function newRelease(version: string, forEntity = entityRef) {
      return {
        id: randomUUID(),
        entityRef: forEntity,
        version,
        artifact: {
          type: 'oci-image' as const,
          uri: 'ghcr.io/acme/checkout',
          digest: `sha256:${'c'.repeat(64)}`,
        },
        source: { commit: 'abc123' },
        build: {},
        labels: {},
        createdAt: new Date().toISOString(),
        createdBy: 'ci-pipeline',
      };
    }

    function newDeployment(id: string, releaseId: string, at: string) {
      return {
        id,
        entityRef,
        pipeline: 'default',
        environment: 'staging',
        releaseId,
        kind: 'promotion' as const,
        reason: null,
        requestedBy: 'test',
        createdAt: at,
        gates: [],
        overrideReason: null,
      };
    }

    it('refuses UPDATE and DELETE of a release row in the database itself', async () => {
      const { knex, db } = await createDatabase();
      const release = newRelease('1.0.0');
      expect(await db.releases.insertRelease(release)).toBe('inserted');

      await expect(async () => {
        await knex('releases')
          .where({ id: release.id })
          .update({ artifact_digest: `sha256:${'d'.repeat(64)}` });
      }).rejects.toMatchObject(refusedAsImmutable);
      await expect(async () => {
        await knex('releases').where({ id: release.id }).delete();
      }).rejects.toMatchObject(refusedAsImmutable);

      const stored = await db.releases.getRelease(release.id);
      expect(stored?.artifact.digest).toBe(release.artifact.digest);
    });

    it('refuses changes to checks, revocations and the audit trail', async () => {
      const { knex, db } = await createDatabase();
      const release = newRelease('1.0.0');
      expect(await db.releases.insertRelease(release)).toBe('inserted');
      await db.releases.addCheck(release.id, {
        name: 'unit-tests',
        status: 'failed',
        recordedAt: new Date().toISOString(),
        recordedBy: 'ci',
      });
      await db.releases.revoke(release.id, {
        reason: 'CVE',
        revokedAt: new Date().toISOString(),
        revokedBy: 'ci',
      });

      await expect(async () => {
        await knex('release_checks').update({ status: 'passed' });
      }).rejects.toMatchObject(refusedAsImmutable);
      await expect(async () => {
        await knex('release_revocations').delete();
      }).rejects.toMatchObject(refusedAsImmutable);
      expect(
        (await db.releases.latestChecks([release.id])).get(release.id)?.[0]
          .status,
      ).toBe('failed');
    });

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

    it('keeps one version per entity and reports the conflict', async () => {
      const { db } = await createDatabase();
      expect(await db.releases.insertRelease(newRelease('1.0.0'))).toBe(
        'inserted',
      );
      expect(await db.releases.insertRelease(newRelease('1.0.0'))).toBe(
        'conflict',
      );
      expect(
        await db.releases.insertRelease(
          newRelease('1.0.0', 'component:default/ledger'),
        ),
      ).toBe('inserted');
    });

    it('pages releases newest first with a keyset cursor', async () => {
      const { db } = await createDatabase();
      for (let i = 1; i <= 7; i++) {
        await db.releases.insertRelease(newRelease(`1.0.${i}`));
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await db.releases.listReleasesWithAttachments(entityRef, {
          limit: 3,
          cursor,
        });
        seen.push(...page.items.map(r => r.version));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual([
        '1.0.7',
        '1.0.6',
        '1.0.5',
        '1.0.4',
        '1.0.3',
        '1.0.2',
        '1.0.1',
      ]);
    });

    it('reads releases with their latest check per name, revocation and latest deployment per environment, alone and in a page', async () => {
      const { db } = await createDatabase();
      const attached = newRelease('1.0.0');
      const bare = newRelease('1.0.1');
      await db.releases.insertRelease(attached);
      await db.releases.insertRelease(bare);
      await db.releases.insertRelease(
        newRelease('9.9.9', `component:default/other-${randomUUID()}`),
      );
      const check = (name: string, status: 'passed' | 'failed') => ({
        name,
        status,
        recordedAt: new Date().toISOString(),
        recordedBy: 'ci',
      });
      await db.releases.addChecks(attached.id, [
        check('unit-tests', 'failed'),
        check('lint', 'passed'),
        check('unit-tests', 'passed'),
        // Upper case sorts before lower case by code unit, whatever the collation.
        check('Zeta', 'failed'),
      ]);
      await db.releases.revoke(attached.id, {
        reason: 'CVE',
        revokedAt: new Date().toISOString(),
        revokedBy: 'security',
      });
      const at = new Date().toISOString();
      const transition = { at, actor: 'test', message: '' };
      const deploy = async (environment: string) => {
        const id = randomUUID();
        await db.deployments.insertDeployment(
          { ...newDeployment(id, attached.id, at), environment },
          transition,
        );
        return id;
      };
      const failed = await deploy('staging');
      await db.deployments.claim(failed, 'test', at, transition);
      await db.deployments.changeStatus(failed, {
        ...transition,
        from: ['running'],
        to: 'failed',
      });
      const retried = await deploy('staging');
      const development = await deploy('development');

      const page = await db.releases.listReleasesWithAttachments(entityRef, {
        limit: 10,
      });
      expect(page.items.map(r => r.version)).toEqual(['1.0.1', '1.0.0']);
      const [bareListed, attachedListed] = page.items;
      expect(bareListed).toMatchObject({
        checks: [],
        revocation: null,
        deployments: [],
      });
      expect(
        attachedListed.checks?.map(c => [c.name, c.status, c.recordedBy]),
      ).toEqual([
        ['Zeta', 'failed', 'ci'],
        ['lint', 'passed', 'ci'],
        ['unit-tests', 'passed', 'ci'],
      ]);
      expect(attachedListed.checks).toEqual(
        (await db.releases.latestChecks([attached.id])).get(attached.id),
      );
      expect(attachedListed.revocation).toEqual({
        reason: 'CVE',
        revokedAt: expect.any(String),
        revokedBy: 'security',
      });
      expect(attachedListed.deployments).toEqual([
        {
          environment: 'development',
          deploymentId: development,
          kind: 'promotion',
          status: 'pending',
          updatedAt: at,
        },
        {
          environment: 'staging',
          deploymentId: retried,
          kind: 'promotion',
          status: 'pending',
          updatedAt: at,
        },
      ]);
      expect(await db.releases.getReleaseWithAttachments(attached.id)).toEqual(
        attachedListed,
      );
      expect(await db.releases.getReleaseWithAttachments(bare.id)).toEqual(
        bareListed,
      );
      expect(
        await db.releases.getReleaseWithAttachments(randomUUID()),
      ).toBeUndefined();
    });

    it('inserts releases in bulk, in order, and all or nothing in a transaction', async () => {
      const { db } = await createDatabase();
      // More than one multi-row statement's worth.
      const releases = Array.from({ length: 1203 }, (_, i) =>
        newRelease(`2.0.${i}`),
      );
      await db.transaction(stores => stores.releases.insertReleases(releases));
      const page = await db.releases.listReleasesWithAttachments(entityRef, {
        limit: 3,
      });
      expect(page.items.map(r => r.version)).toEqual([
        '2.0.1202',
        '2.0.1201',
        '2.0.1200',
      ]);
      expect(await db.releases.getRelease(releases[600].id)).toEqual(
        releases[600],
      );

      // A version the entity already has fails the whole batch.
      const batch = [newRelease('3.0.0'), newRelease('2.0.5')];
      await expect(
        db.transaction(stores => stores.releases.insertReleases(batch)),
      ).rejects.toMatchObject({ message: expect.stringMatching(/unique/i) });
      expect(await db.releases.getRelease(batch[0].id)).toBeUndefined();
    });

    it('reports the latest record per check name', async () => {
      const { db } = await createDatabase();
      const release = newRelease('1.0.0');
      expect(await db.releases.insertRelease(release)).toBe('inserted');
      const record = (name: string, status: 'passed' | 'failed' | 'pending') =>
        db.releases.addCheck(release.id, {
          name,
          status,
          recordedAt: new Date().toISOString(),
          recordedBy: 'ci',
        });
      await record('unit-tests', 'pending');
      await record('security-scan', 'failed');
      await record('unit-tests', 'passed');
      const checks = (await db.releases.latestChecks([release.id])).get(
        release.id,
      )!;
      expect(checks.map(c => [c.name, c.status])).toEqual([
        ['security-scan', 'failed'],
        ['unit-tests', 'passed'],
      ]);
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

    it('registers a release with its checks and event at once, and writes nothing for a taken version', async () => {
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
      const first = newRelease('1.0.0');
      expect(
        await db.registerRelease(
          first,
          [check('unit-tests', 'failed'), check('unit-tests', 'passed')],
          [event(first.id)],
        ),
      ).toBe('inserted');

      const sameVersion = { ...newRelease('1.0.0'), id: randomUUID() };
      expect(
        await db.registerRelease(
          sameVersion,
          [check('lint', 'passed')],
          [event(sameVersion.id)],
        ),
      ).toBe('conflict');

      expect(
        (await db.releases.getReleaseByVersion(entityRef, '1.0.0'))?.id,
      ).toBe(first.id);
      const checks = await db.releases.latestChecks([first.id, sameVersion.id]);
      expect(checks.get(first.id)?.map(c => c.status)).toEqual(['passed']);
      expect(checks.has(sameVersion.id)).toBe(false);
      const events = await db.events.listEvents(entityRef, { limit: 10 });
      expect(events.items.map(e => e.releaseId)).toEqual([first.id]);
    });

    it('describes each environment: the latest success is current, the latest start and the pending ones', async () => {
      const { db } = await createDatabase();
      const minute = (n: number) =>
        new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();
      const releases = [
        '1.0.0',
        '1.1.0',
        '1.2.0',
        '1.3.0',
        '1.4.0',
        '1.5.0',
      ].map(v => newRelease(v));
      await db.releases.insertReleases(releases);
      const request = async (
        release: (typeof releases)[number],
        at: number,
      ) => {
        const id = randomUUID();
        await db.deployments.insertDeployment(
          newDeployment(id, release.id, minute(at)),
          { at: minute(at), actor: 'test', message: '' },
        );
        return id;
      };
      const run = async (
        id: string,
        outcome: 'succeeded' | 'failed',
        at: number,
      ) => {
        const transition = { at: minute(at), actor: 'test', message: '' };
        expect(
          await db.deployments.claim(id, 'test', minute(at + 60), transition),
        ).toBe(true);
        expect(
          await db.deployments.changeStatus(id, {
            ...transition,
            from: ['running'],
            to: outcome,
          }),
        ).toBe(true);
        return id;
      };
      await run(await request(releases[0], 1), 'succeeded', 1);
      // Requested before 1.2.0 but succeeded after it: the latest to succeed is current.
      const requestedEarly = await request(releases[1], 2);
      await run(await request(releases[2], 3), 'succeeded', 3);
      const current = await run(requestedEarly, 'succeeded', 4);
      const failed = await run(await request(releases[3], 5), 'failed', 5);
      const waiting = [
        await request(releases[4], 6),
        await request(releases[5], 7),
      ];

      const staging = { entityRef, environment: 'staging' };
      const production = { entityRef, environment: 'production' };
      const described = await db.deployments.describeEnvironments([
        staging,
        production,
      ]);

      const stagingNow = described.get(environmentKeyId(staging))!;
      expect(stagingNow.current?.id).toBe(current);
      expect(stagingNow.current?.release.version).toBe('1.1.0');
      expect(stagingNow.latestStarted?.id).toBe(failed);
      expect(stagingNow.latestStarted?.transitions.map(t => t.status)).toEqual([
        'pending',
        'running',
        'failed',
      ]);
      expect(stagingNow.pending.map(d => d.id)).toEqual(waiting);
      expect(described.get(environmentKeyId(production))).toEqual({
        pending: [],
      });
      const currentReleases = await db.observations.currentReleases([
        staging,
        production,
      ]);
      expect(currentReleases.get(environmentKeyId(staging))).toEqual({
        releaseId: releases[1].id,
        digest: releases[1].artifact.digest,
      });
      expect(currentReleases.has(environmentKeyId(production))).toBe(false);
    });

    it('claims a deployment with its audit event once; a second claim writes nothing', async () => {
      const { db } = await createDatabase();
      const release = newRelease('1.0.0');
      await db.releases.insertRelease(release);
      const at = new Date().toISOString();
      const id = randomUUID();
      await db.deployments.insertDeployment(newDeployment(id, release.id, at), {
        at,
        actor: 'test',
        message: 'requested',
      });
      const runningEvent = () => [
        {
          id: randomUUID(),
          type: 'deployment.running',
          entityRef,
          environment: 'staging',
          releaseId: release.id,
          deploymentId: id,
          actor: 'engine',
          at,
          details: {},
        },
      ];
      const transition = { at, actor: 'engine', message: 'started' };

      expect(
        await db.deployments.claim(id, 'a', at, transition, runningEvent()),
      ).toBe(true);
      expect(
        await db.deployments.claim(id, 'b', at, transition, runningEvent()),
      ).toBe(false);

      const events = await db.events.listEvents(entityRef, { limit: 10 });
      expect(events.items.map(e => e.type)).toEqual(['deployment.running']);
      const deployment = await db.deployments.getDeployment(id);
      expect(deployment?.transitions.map(t => t.status)).toEqual([
        'pending',
        'running',
      ]);
    });
  },
);
