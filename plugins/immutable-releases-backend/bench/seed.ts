import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { NewRelease } from '../src/database/ReleaseStore';
import { ReleasesDatabase } from '../src/database/ReleasesDatabase';
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

export const ENVIRONMENTS = ['development', 'staging', 'production'];

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

const BASE_TIME = Date.parse('2025-01-01T00:00:00.000Z');

function hex(value: number, length: number): string {
  return value.toString(16).padStart(length, '0').slice(-length);
}

/** A release as CI registers one: digest, source, build, a label. */
export function benchRelease(
  entityRef: string,
  version: string,
  serial: number,
  createdAt: string,
): NewRelease {
  const name = entityRef.split('/')[1];
  return {
    id: randomUUID(),
    entityRef,
    version,
    artifact: {
      type: 'oci-image',
      uri: `registry.example.com/acme/${name}`,
      digest: `sha256:${hex(serial, 16).repeat(4)}`,
    },
    source: {
      repository: `https://github.com/acme/${name}`,
      commit: hex(serial * 2654435761, 40),
      branch: 'main',
    },
    build: {
      id: String(serial),
      url: `https://ci.example.com/acme/${name}/builds/${serial}`,
    },
    labels: { team: 'bench' },
    createdAt,
    createdBy: 'bench-seed',
  };
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
        `1.${Math.floor(n / 1000)}.${n % 1000}`,
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
  const checkNames = ['unit-tests', 'security-scan'];
  const checked = [
    ...largeReleaseIds.slice(-2000),
    ...smallReleaseIds.slice(-2000),
  ];
  const recordedAt = new Date(BASE_TIME).toISOString();
  for (let first = 0; first < checked.length; first += 1000) {
    await db.transaction(async stores => {
      for (const releaseId of checked.slice(first, first + 1000)) {
        for (const name of checkNames) {
          await stores.releases.addCheck(releaseId, {
            name,
            status: 'passed',
            recordedAt,
            recordedBy: 'bench-seed',
          });
        }
      }
    });
  }
  const checks = checked.length * checkNames.length;
  progress(`seeded ${checks} checks (${elapsed()})`);

  // The large entity's deployment history: promotions through the pipeline,
  // each pending → running → succeeded (one in ten failed), as the engine stores them.
  const owner = 'bench-seed';
  for (let first = 0; first < sizes.deployments; first += 300) {
    await db.transaction(async stores => {
      for (let k = first; k < Math.min(sizes.deployments, first + 300); k++) {
        const environment = ENVIRONMENTS[k % ENVIRONMENTS.length];
        const releaseIndex = Math.min(
          largeReleaseIds.length - 1,
          Math.floor((k * largeReleaseIds.length) / sizes.deployments),
        );
        const at = (offset: number) =>
          new Date(BASE_TIME + k * 600_000 + offset * 1000).toISOString();
        const id = randomUUID();
        await stores.deployments.insertDeployment(
          {
            id,
            entityRef: ENTITY.large,
            pipeline: 'default',
            environment,
            releaseId: largeReleaseIds[releaseIndex],
            kind: 'promotion',
            reason: 'bench history',
            requestedBy: owner,
            createdAt: at(0),
            gates: [
              { name: 'not-revoked', passed: true, message: 'not revoked' },
            ],
            overrideReason: null,
          },
          { at: at(0), actor: owner, message: 'promotion requested' },
        );
        if (
          !(await stores.deployments.claim(id, owner, at(60), {
            at: at(1),
            actor: owner,
            message: 'started',
          }))
        ) {
          throw new Error(`seeding: could not start deployment ${k}`);
        }
        const failed = k % 10 === 9;
        await stores.deployments.changeStatus(id, {
          from: ['running'],
          to: failed ? 'failed' : 'succeeded',
          at: at(2),
          actor: owner,
          message: failed ? 'deploy failed' : 'deployed',
          executor: { name: 'recorder', type: 'bench-recorder' },
        });
      }
    });
  }
  const deployments = sizes.deployments;
  progress(`seeded ${deployments} deployments (${elapsed()})`);

  // The large entity's audit trail.
  const types = [
    'release.registered',
    'check.recorded',
    'deployment.requested',
    'deployment.running',
    'deployment.succeeded',
  ];
  for (let first = 0; first < sizes.events; first += 5000) {
    await db.transaction(async stores => {
      const batch = [];
      for (let k = first; k < Math.min(sizes.events, first + 5000); k++) {
        batch.push({
          id: randomUUID(),
          type: types[k % types.length],
          entityRef: ENTITY.large,
          environment: ENVIRONMENTS[k % ENVIRONMENTS.length],
          releaseId: largeReleaseIds[k % largeReleaseIds.length],
          actor: 'bench-seed',
          at: new Date(BASE_TIME + k * 1000).toISOString(),
          details: { version: `1.0.${k % 1000}`, message: 'seeded event' },
        });
      }
      await stores.events.append(batch);
    });
  }
  const events = sizes.events;
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
 */
export async function analyze(knex: Knex) {
  if (knex.client.dialect === 'postgresql') {
    await knex.raw('VACUUM (ANALYZE)');
  } else {
    await knex.raw('ANALYZE');
  }
}
