import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '@internal/test-utils';
import {
  createReleasesDatabase,
  deploymentFixture,
  listReleases,
  releaseFixture,
} from '../__testUtils__/storeFixtures';
import { RELEASE_VIEW_FORMAT, storeView } from './releaseViews';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'release views on %p',
  databaseId => {
    let entityRef: string;
    beforeEach(() => {
      entityRef = `component:default/checkout-${randomUUID()}`;
    });

    const lintCheck = (status: 'passed' | 'failed') => ({
      name: 'lint',
      status,
      recordedAt: new Date().toISOString(),
      recordedBy: 'ci',
    });

    async function setUp() {
      const { knex, db } = await createReleasesDatabase(databases, databaseId);
      const release = releaseFixture(entityRef, '1.0.0');
      await db.releases.insertRelease(release);
      const viewOfRelease = () =>
        knex('release_views').where({ release_id: release.id }).first();
      const changesOfRelease = async () =>
        (
          await knex('release_view_changes')
            .where({ release_id: release.id })
            .orderBy('seq')
        ).map(change => change.seq);
      const firstListed = async () =>
        (await listReleases(db, entityRef, { limit: 10 })).items[0];
      return {
        knex,
        db,
        release,
        viewOfRelease,
        changesOfRelease,
        firstListed,
      };
    }

    it('stores the view a page read made, and answers it to the next page read', async () => {
      const { knex, release, viewOfRelease, firstListed } = await setUp();
      expect(await viewOfRelease()).toMatchObject({ format: null, body: null });

      const listed = await firstListed();
      expect(listed).toMatchObject({ version: '1.0.0', checks: [] });
      expect(await viewOfRelease()).toMatchObject({
        format: RELEASE_VIEW_FORMAT,
        body: JSON.stringify(listed),
      });

      // What the next read answers comes from the view, not from the rows.
      await knex('release_views')
        .where({ release_id: release.id })
        .update({ body: JSON.stringify({ ...listed, version: 'from-view' }) });
      expect((await firstListed()).version).toBe('from-view');
    });

    it('records every change to what a view shows in its own transaction, without touching the view', async () => {
      const { db, release, viewOfRelease, changesOfRelease, firstListed } =
        await setUp();
      const at = new Date().toISOString();
      const transition = { at, actor: 'test', message: '' };
      const deploymentId = randomUUID();
      const changes: Array<[string, () => Promise<unknown>]> = [
        [
          'a check',
          () =>
            db.releases.addCheck(release.id, {
              name: 'unit-tests',
              status: 'passed',
              recordedAt: at,
              recordedBy: 'ci',
            }),
        ],
        [
          'an attestation',
          () =>
            db.releases.addAttestations(release.id, [
              {
                id: randomUUID(),
                bundle: {},
                bundleSha256: 'a'.repeat(64),
                mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
                predicateType: 'https://slsa.dev/provenance/v1',
                subjectDigests: [release.artifact.digest],
                signer: {},
                recordedAt: at,
                recordedBy: 'ci',
              },
            ]),
        ],
        [
          'a deployment requested',
          () =>
            db.transaction(stores =>
              stores.deployments.insertDeployment(
                deploymentFixture(entityRef, deploymentId, release.id, at),
                transition,
              ),
            ),
        ],
        [
          'a deployment started',
          () => db.deployments.claim(deploymentId, 'test', at, transition),
        ],
        [
          'a deployment finished',
          () =>
            db.deployments.changeStatus(deploymentId, {
              ...transition,
              from: ['running'],
              to: 'succeeded',
            }),
        ],
        [
          'a revocation',
          () =>
            db.releases.revoke(release.id, {
              reason: 'CVE',
              revokedAt: at,
              revokedBy: 'security',
            }),
        ],
      ];
      const seen: string[] = [];
      for (const [change, make] of changes) {
        const before = await firstListed();
        const view = await viewOfRelease();
        expect([change, await changesOfRelease()]).toEqual([change, []]);
        await make();
        expect([change, await viewOfRelease()]).toEqual([change, view]);
        expect([change, await changesOfRelease()]).toEqual([
          change,
          [expect.anything()],
        ]);
        const after = await firstListed();
        expect(after).not.toEqual(before);
        seen.push(change);
      }
      expect(seen).toHaveLength(changes.length);
      expect(await firstListed()).toMatchObject({
        checks: [{ name: 'unit-tests', status: 'passed' }],
        attestations: [{ predicateType: 'https://slsa.dev/provenance/v1' }],
        deployments: [{ deploymentId, status: 'succeeded' }],
        revocation: { reason: 'CVE' },
      });
    });

    it('keeps a view stale when its release changed after it was read', async () => {
      const {
        knex,
        db,
        release,
        viewOfRelease,
        changesOfRelease,
        firstListed,
      } = await setUp();
      const listed = await firstListed();
      const lint = lintCheck('failed');
      await db.releases.addCheck(release.id, lint);
      const [seenChange] = await changesOfRelease();
      const { revision } = await viewOfRelease();
      // A reader saw the first change; the second comes before it writes.
      await db.releases.addCheck(release.id, lintCheck('passed'));
      await storeView(
        knex,
        { id: release.id, revision, changes: String(seenChange) },
        JSON.stringify({ ...listed, checks: [lint] }),
      );

      expect(await changesOfRelease()).toHaveLength(1);
      expect((await firstListed()).checks).toMatchObject([
        { name: 'lint', status: 'passed' },
      ]);
      expect(await changesOfRelease()).toEqual([]);
    });

    it('does not write a view over one another reader wrote since it read', async () => {
      const {
        knex,
        db,
        release,
        viewOfRelease,
        changesOfRelease,
        firstListed,
      } = await setUp();
      await firstListed();
      await db.releases.addCheck(release.id, lintCheck('failed'));
      const changesSeen = (await changesOfRelease()).join(',');
      const { revision } = await viewOfRelease();
      const newer = await firstListed();

      // A slower reader read the release before the other one wrote.
      await storeView(
        knex,
        { id: release.id, revision, changes: changesSeen },
        JSON.stringify({ ...newer, version: 'older state' }),
      );

      expect(await viewOfRelease()).toMatchObject({
        revision: revision + 1,
        body: JSON.stringify(newer),
      });
      expect(await firstListed()).toEqual(newer);
    });

    it('makes again a view stored in an older format', async () => {
      const { knex, release, viewOfRelease, firstListed } = await setUp();
      const listed = await firstListed();
      await knex('release_views')
        .where({ release_id: release.id })
        .update({
          format: RELEASE_VIEW_FORMAT - 1,
          body: JSON.stringify({ version: 'an older shape' }),
        });

      expect(await firstListed()).toEqual(listed);
      expect(await viewOfRelease()).toMatchObject({
        format: RELEASE_VIEW_FORMAT,
        body: JSON.stringify(listed),
      });
    });
  },
);
