import { Knex } from 'knex';
import { NewRelease } from '../src/database/ReleaseStore';
import { ReleasesDatabase } from '../src/database/ReleasesDatabase';
import {
  BASE_TIME,
  benchRelease,
  releaseVersion,
  seedAuditTrail,
  seedChecks,
  seedDeploymentHistory,
} from './historySeed';
import { dataSizes } from './options';

export const ENTITY = {
  /** A tenth of all releases, a long deployment history and audit trail. */
  large: 'component:default/bench-large',
  /** A thousandth of all releases: the flat-growth comparison. */
  small: 'component:default/bench-small',
  /** Where the register path writes. */
  register: 'component:default/bench-register',
  /** Where the bare baselines write, so they leave the measured entities alone. */
  bare: 'component:default/bench-bare',
};

export interface SeedResult {
  releases: number;
  largeReleases: number;
  smallReleases: number;
  deployments: number;
  events: number;
  checks: number;
  /** Ids of the large entity's releases, oldest first. */
  largeReleaseIds: string[];
  seconds: number;
}

/**
 * Seeds the data through the plugin's stores, in transactions with multi-row
 * inserts: releases interleaved over many entities (one in ten of the large
 * entity, one in a thousand of the small one), checks on the newest releases
 * of both, a long deployment history and audit trail for the large entity.
 */
export async function seed(
  knex: Knex,
  scale: number,
  progress: (message: string) => void,
): Promise<SeedResult> {
  const started = performance.now();
  const elapsed = () =>
    `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const sizes = dataSizes(scale);
  const db = await ReleasesDatabase.fromKnex(knex);
  const others = Math.max(1, sizes.entities - 2);
  const versionCounters = new Map<string, number>();
  const largeReleaseIds: string[] = [];
  const smallReleaseIds: string[] = [];

  const batchSize = 20_000;
  for (let first = 0; first < sizes.releases; first += batchSize) {
    const batch: NewRelease[] = [];
    for (let g = first; g < Math.min(sizes.releases, first + batchSize); g++) {
      let entityRef: string;
      if (g % 10 === 0) {
        entityRef = ENTITY.large;
      } else if (g % 1000 === 1) {
        entityRef = ENTITY.small;
      } else {
        entityRef = `component:default/bench-other-${g % others}`;
      }
      const n = versionCounters.get(entityRef) ?? 0;
      versionCounters.set(entityRef, n + 1);
      const release = benchRelease(
        entityRef,
        releaseVersion(n),
        g,
        new Date(BASE_TIME + g * 1000).toISOString(),
      );
      if (entityRef === ENTITY.large) {
        largeReleaseIds.push(release.id);
      } else if (entityRef === ENTITY.small) {
        smallReleaseIds.push(release.id);
      }
      batch.push(release);
    }
    await db.transaction(stores => stores.releases.insertReleases(batch));
    if ((first / batchSize) % 10 === 9) {
      progress(
        `seeded ${first + batch.length} of ${
          sizes.releases
        } releases (${elapsed()})`,
      );
    }
  }

  // Checks on the newest releases of both history entities (what pages show first).
  const checks = await seedChecks(db, [
    ...largeReleaseIds.slice(-2000),
    ...smallReleaseIds.slice(-2000),
  ]);
  progress(`seeded ${checks} checks (${elapsed()})`);

  const deployments = (
    await seedDeploymentHistory(
      db,
      ENTITY.large,
      largeReleaseIds,
      sizes.deployments,
    )
  ).length;
  progress(`seeded ${deployments} deployments (${elapsed()})`);

  const events = await seedAuditTrail(
    db,
    ENTITY.large,
    largeReleaseIds,
    sizes.events,
  );
  progress(`seeded ${events} events (${elapsed()})`);

  return {
    releases: sizes.releases,
    largeReleases: largeReleaseIds.length,
    smallReleases: smallReleaseIds.length,
    deployments,
    events,
    checks,
    largeReleaseIds,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * What autovacuum and autoanalyze do in a database that has been running:
 * without it the planner knows nothing of the tables just loaded, and
 * PostgreSQL's indexes still point at every row version the seed replaced.
 * On PostgreSQL a checkpoint then writes out what the seed and the vacuum
 * left in memory, which would otherwise be flushed while the first paths
 * are measured.
 */
export async function analyze(knex: Knex) {
  if (knex.client.dialect === 'postgresql') {
    await knex.raw('VACUUM (ANALYZE)');
    await knex
      .raw('CHECKPOINT')
      .catch((error: Error) =>
        process.stderr.write(
          `bench: no checkpoint after seeding (${error.message}); the first path may meet the seed's writes\n`,
        ),
      );
  } else {
    await knex.raw('ANALYZE');
  }
}
