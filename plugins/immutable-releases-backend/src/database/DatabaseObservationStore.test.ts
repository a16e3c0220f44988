import { randomUUID } from 'node:crypto';
import { createTestDatabases } from '@internal/test-utils';
import {
  createReleasesDatabase,
  refusedAsImmutable,
} from '../__testUtils__/storeFixtures';
import { digestOf } from '../__testUtils__/testEngine';
import { environmentKeyId, StoredObservation } from './ObservationStore';

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'DatabaseObservationStore on %p',
  databaseId => {
    let entityRef: string;
    beforeEach(() => {
      entityRef = `component:default/checkout-${randomUUID()}`;
    });

    const createDatabase = () => createReleasesDatabase(databases, databaseId);

    function observation(
      digestSeed: string,
      observedAt: string,
      environment = 'production',
    ): StoredObservation {
      return {
        entityRef,
        environment,
        digest: digestOf(digestSeed),
        source: 'probe',
        observedAt,
        recordedAt: observedAt,
        recordedBy: 'ci',
        details: null,
      };
    }

    it('keeps every observation, refuses to change history, and moves the latest only forward', async () => {
      const { knex, db } = await createDatabase();
      const key = { entityRef, environment: 'production' };
      const midRollout = {
        instances: 2,
        otherDigests: [{ digest: digestOf('a'), instances: 1 }],
      };
      const newer = {
        ...observation('b', '2026-01-01T10:05:00.000Z'),
        details: midRollout,
      };
      const older = observation('a', '2026-01-01T10:00:00.000Z');
      await db.observations.appendObservations([newer], [newer]);
      // A late report of an older observation lands in the history only.
      await db.observations.appendObservations([older], [older]);

      const state = (await db.observations.getDriftStates([key])).get(
        environmentKeyId(key),
      );
      expect(state).toMatchObject({
        observedDigest: digestOf('b'),
        observedAt: '2026-01-01T10:05:00.000Z',
        observedDetails: midRollout,
        status: 'unknown',
        error: null,
      });
      expect(
        (await db.observations.listObservations(key, 10)).map(o => [
          o.digest,
          o.details,
        ]),
      ).toEqual([
        [digestOf('a'), null],
        [digestOf('b'), midRollout],
      ]);

      // The rollout ended: the next observation has no other digests.
      const settled = observation('b', '2026-01-01T10:06:00.000Z');
      await db.observations.appendObservations([settled], [settled]);
      expect(
        (await db.observations.getDriftStates([key])).get(environmentKeyId(key))
          ?.observedDetails,
      ).toBeNull();

      await expect(async () => {
        await knex('observations')
          .where({ entity_ref: entityRef })
          .update({ digest: digestOf('x') });
      }).rejects.toMatchObject(refusedAsImmutable);
      await expect(async () => {
        await knex('observations').where({ entity_ref: entityRef }).delete();
      }).rejects.toMatchObject(refusedAsImmutable);
    });

    it('changes a drift status only from the status the writer saw', async () => {
      const { db } = await createDatabase();
      const key = { entityRef, environment: 'production' };
      const seen = observation('a', '2026-01-01T10:00:00.000Z');
      await db.observations.appendObservations([seen], [seen]);
      const other = { entityRef, environment: 'staging' };
      const seenInStaging = observation(
        'a',
        '2026-01-01T10:00:00.000Z',
        'staging',
      );
      await db.observations.appendObservations(
        [seenInStaging],
        [seenInStaging],
      );
      const at = '2026-01-01T10:00:01.000Z';
      const changes = [
        { ...key, from: 'unknown' as const, to: 'unmanaged' as const },
        { ...other, from: 'unknown' as const, to: 'drifted' as const },
      ];
      expect(await db.observations.changeDriftStatuses(changes, at)).toEqual(
        expect.arrayContaining([key, other]),
      );
      expect(await db.observations.changeDriftStatuses(changes, at)).toEqual(
        [],
      );
      expect(
        (await db.observations.getDriftStates([key])).get(environmentKeyId(key))
          ?.status,
      ).toBe('unmanaged');
    });

    it('keeps the last error per environment beside the latest observation', async () => {
      const { db } = await createDatabase();
      const key = { entityRef, environment: 'staging' };
      await db.observations.recordError(key, {
        message: 'first',
        at: '2026-01-01T10:00:00.000Z',
        source: 'probe',
      });
      await db.observations.recordError(key, {
        message: 'GET answered 503',
        at: '2026-01-01T10:01:00.000Z',
        source: 'probe',
      });
      expect(
        (await db.observations.getDriftStates([key])).get(
          environmentKeyId(key),
        ),
      ).toMatchObject({
        observedDigest: null,
        status: 'unknown',
        error: {
          message: 'GET answered 503',
          at: '2026-01-01T10:01:00.000Z',
          source: 'probe',
        },
      });
    });

    it('finds the current release per environment and releases by digest in batches', async () => {
      const { db } = await createDatabase();
      const releases = ['1.0.0', '1.1.0'].map(version => ({
        id: randomUUID(),
        entityRef,
        version,
        artifact: {
          type: 'oci-image' as const,
          uri: 'ghcr.io/acme/checkout',
          digest: digestOf(version),
        },
        source: {},
        build: {},
        labels: {},
        createdAt: '2026-01-01T00:00:00.000Z',
        createdBy: 'ci',
      }));
      for (const release of releases) {
        await db.releases.insertRelease(release);
      }
      await db.releases.revoke(releases[0].id, {
        reason: 'CVE',
        revokedAt: '2026-01-02T00:00:00.000Z',
        revokedBy: 'security',
      });
      const deploy = async (releaseId: string, at: string) => {
        const id = randomUUID();
        await db.deployments.insertDeployment(
          {
            id,
            entityRef,
            pipeline: 'default',
            environment: 'production',
            releaseId,
            kind: 'promotion',
            reason: null,
            requestedBy: 'ci',
            createdAt: at,
            gates: [],
            overrideReason: null,
          },
          { at, actor: 'ci', message: 'requested' },
        );
        await db.deployments.changeStatus(id, {
          from: ['pending'],
          to: 'succeeded',
          at,
          actor: 'ci',
          message: 'done',
        });
      };
      await deploy(releases[0].id, '2026-01-01T01:00:00.000Z');
      await deploy(releases[1].id, '2026-01-01T02:00:00.000Z');

      const production = { entityRef, environment: 'production' };
      const staging = { entityRef, environment: 'staging' };
      const current = await db.observations.currentReleases([
        production,
        staging,
      ]);
      expect(current.get(environmentKeyId(production))).toEqual({
        releaseId: releases[1].id,
        digest: digestOf('1.1.0'),
      });
      expect(current.has(environmentKeyId(staging))).toBe(false);

      const found = await db.observations.releasesWithDigests([
        { entityRef, digest: digestOf('1.0.0') },
        { entityRef, digest: digestOf('unknown') },
        { entityRef: 'component:default/other', digest: digestOf('1.1.0') },
      ]);
      expect([...found.values()]).toEqual([
        {
          entityRef,
          digest: digestOf('1.0.0'),
          id: releases[0].id,
          version: '1.0.0',
          revoked: true,
        },
      ]);
      expect(await db.observations.listEntitiesWithReleases()).toContain(
        entityRef,
      );
    });

    it('lists the artifact URIs of each entity, newest release first', async () => {
      const { db } = await createDatabase();
      const other = `${entityRef}-other`;
      const register = (ref: string, version: string, uri: string) =>
        db.releases.insertRelease({
          id: randomUUID(),
          entityRef: ref,
          version,
          artifact: { type: 'oci-image', uri, digest: digestOf(version) },
          source: {},
          build: {},
          labels: {},
          createdAt: '2026-01-01T00:00:00.000Z',
          createdBy: 'ci',
        });
      await register(entityRef, '1.0.0', 'ghcr.io/acme/old-name');
      await register(entityRef, '1.1.0', 'ghcr.io/acme/checkout');
      await register(entityRef, '1.2.0', 'ghcr.io/acme/checkout');
      await register(other, '1.0.0', 'ghcr.io/acme/other');

      const uris = await db.observations.artifactUris([
        entityRef,
        other,
        'component:default/no-releases',
      ]);
      expect(Object.fromEntries(uris)).toEqual({
        [entityRef]: ['ghcr.io/acme/checkout', 'ghcr.io/acme/old-name'],
        [other]: ['ghcr.io/acme/other'],
      });
    });

    it('pages the environments whose recorded status is known, in key order', async () => {
      const { db } = await createDatabase();
      const environments = ['a-env', 'b-env', 'c-env', 'd-env'];
      for (const environment of environments) {
        const seen = observation('x', '2026-01-01T10:00:00.000Z', environment);
        await db.observations.appendObservations([seen], [seen]);
        if (environment !== 'c-env') {
          await db.observations.changeDriftStatuses(
            [{ entityRef, environment, from: 'unknown', to: 'in-sync' }],
            seen.observedAt,
          );
        }
      }
      const mine = async (after?: { entityRef: string; environment: string }) =>
        (await db.observations.listKnownDriftStates(1000, after))
          .filter(k => k.entityRef === entityRef)
          .map(k => k.environment);
      expect(await mine()).toEqual(['a-env', 'b-env', 'd-env']);
      expect(await mine({ entityRef, environment: 'a-env' })).toEqual([
        'b-env',
        'd-env',
      ]);
    });
  },
);
