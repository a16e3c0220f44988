import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '@internal/test-utils';
import {
  createReleasesDatabase,
  deploymentFixture,
  refusedAsImmutable,
  releaseFixture,
  listReleases,
} from '../__testUtils__/storeFixtures';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'DatabaseReleaseStore on %p',
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

    it('pages releases newest first with a keyset cursor, among the releases of entities named next to it', async () => {
      const { db } = await createDatabase();
      for (let i = 1; i <= 7; i++) {
        await db.releases.insertRelease(newRelease(`1.0.${i}`));
        for (const neighbour of [`${entityRef}-a`, entityRef.slice(0, -1)]) {
          await db.releases.insertRelease(newRelease(`2.0.${i}`, neighbour));
        }
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listReleases(db, entityRef, {
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

      const page = await listReleases(db, entityRef, {
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

    it('reads a release with its revocation, or none', async () => {
      const { db } = await createDatabase();
      const revoked = newRelease('1.0.0');
      const kept = newRelease('1.1.0');
      await db.releases.insertRelease(revoked);
      await db.releases.insertRelease(kept);
      const revocation = {
        reason: 'CVE-2026-1',
        revokedAt: '2026-12-01T10:00:00.000Z',
        revokedBy: 'user:default/security',
      };
      await db.releases.revoke(revoked.id, revocation);

      expect(await db.releases.getReleaseAndRevocation(revoked.id)).toEqual({
        release: await db.releases.getRelease(revoked.id),
        revocation,
      });
      expect(await db.releases.getReleaseAndRevocation(kept.id)).toEqual({
        release: await db.releases.getRelease(kept.id),
        revocation: null,
      });
      expect(
        await db.releases.getReleaseAndRevocation(randomUUID()),
      ).toBeUndefined();
    });

    it('inserts releases in bulk, in order, and all or nothing in a transaction', async () => {
      const { db } = await createDatabase();
      // More than one multi-row statement's worth.
      const releases = Array.from({ length: 1203 }, (_, i) =>
        newRelease(`2.0.${i}`),
      );
      await db.transaction(stores => stores.releases.insertReleases(releases));
      const page = await listReleases(db, entityRef, {
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
  },
);
