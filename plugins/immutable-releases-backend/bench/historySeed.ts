/*
 * One entity's history, seeded through the plugin's stores in transactions
 * with multi-row inserts: its releases, checks, deployments with their
 * transitions, and audit trail (a valid hash chain). The server benchmark
 * (seed.ts) and the browser benchmark (browser/) compose these.
 */
import { randomUUID } from 'node:crypto';
import { NewRelease } from '../src/database/ReleaseStore';
import { ReleasesDatabase } from '../src/database/ReleasesDatabase';

export const ENVIRONMENTS = ['development', 'staging', 'production'];

export const BASE_TIME = Date.parse('2025-01-01T00:00:00.000Z');

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

/** The version CI gave the `n`th release of an entity: 1.0.0, 1.0.1, … 1.1.0 after 1.0.999. */
export function releaseVersion(n: number): string {
  return `1.${Math.floor(n / 1000)}.${n % 1000}`;
}

/**
 * `count` releases of one entity, oldest first, in transactions of 20,000
 * (multi-row inserts); answers their ids and the newest version.
 */
export async function seedEntityReleases(
  db: ReleasesDatabase,
  entityRef: string,
  count: number,
): Promise<{ ids: string[]; newestVersion: string }> {
  const ids: string[] = [];
  const batchSize = 20_000;
  for (let first = 0; first < count; first += batchSize) {
    const batch: NewRelease[] = [];
    for (let n = first; n < Math.min(count, first + batchSize); n++) {
      const release = benchRelease(
        entityRef,
        releaseVersion(n),
        n,
        new Date(BASE_TIME + n * 1000).toISOString(),
      );
      ids.push(release.id);
      batch.push(release);
    }
    await db.transaction(stores => stores.releases.insertReleases(batch));
  }
  return { ids, newestVersion: releaseVersion(count - 1) };
}

/** Two passed checks on each of these releases; answers how many were recorded. */
export async function seedChecks(
  db: ReleasesDatabase,
  releaseIds: string[],
): Promise<number> {
  const checkNames = ['unit-tests', 'security-scan'];
  const recordedAt = new Date(BASE_TIME).toISOString();
  for (let first = 0; first < releaseIds.length; first += 1000) {
    await db.transaction(async stores => {
      for (const releaseId of releaseIds.slice(first, first + 1000)) {
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
  return releaseIds.length * checkNames.length;
}

/** A deployment of the seeded history, and what its last transition said. */
export interface SeededDeployment {
  id: string;
  environment: string;
  releaseId: string;
  status: 'succeeded' | 'failed';
  lastMessage: string;
}

/**
 * An entity's deployment history, oldest first: promotions through the
 * pipeline spread over its releases (oldest to newest), each pending →
 * running → succeeded (one in ten failed), through the deployment store's
 * insert, claim and status change, as the engine stores them.
 */
export async function seedDeploymentHistory(
  db: ReleasesDatabase,
  entityRef: string,
  releaseIds: string[],
  count: number,
): Promise<SeededDeployment[]> {
  const owner = 'bench-seed';
  const seeded: SeededDeployment[] = [];
  for (let first = 0; first < count; first += 300) {
    await db.transaction(async stores => {
      for (let k = first; k < Math.min(count, first + 300); k++) {
        const environment = ENVIRONMENTS[k % ENVIRONMENTS.length];
        const releaseId =
          releaseIds[
            Math.min(
              releaseIds.length - 1,
              Math.floor((k * releaseIds.length) / count),
            )
          ];
        const at = (offset: number) =>
          new Date(BASE_TIME + k * 600_000 + offset * 1000).toISOString();
        const id = randomUUID();
        await stores.deployments.insertDeployment(
          {
            id,
            entityRef,
            pipeline: 'default',
            environment,
            releaseId,
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
        const lastMessage = failed ? 'deploy failed' : 'deployed';
        await stores.deployments.changeStatus(id, {
          from: ['running'],
          to: failed ? 'failed' : 'succeeded',
          at: at(2),
          actor: owner,
          message: lastMessage,
          executor: { name: 'recorder', type: 'bench-recorder' },
        });
        seeded.push({
          id,
          environment,
          releaseId,
          status: failed ? 'failed' : 'succeeded',
          lastMessage,
        });
      }
    });
  }
  return seeded;
}

/** `count` audit events of an entity, appended to its hash chain in batches of 5,000. */
export async function seedAuditTrail(
  db: ReleasesDatabase,
  entityRef: string,
  releaseIds: string[],
  count: number,
): Promise<number> {
  const types = [
    'release.registered',
    'check.recorded',
    'deployment.requested',
    'deployment.running',
    'deployment.succeeded',
  ];
  for (let first = 0; first < count; first += 5000) {
    await db.transaction(async stores => {
      const batch = [];
      for (let k = first; k < Math.min(count, first + 5000); k++) {
        batch.push({
          id: randomUUID(),
          type: types[k % types.length],
          entityRef,
          environment: ENVIRONMENTS[k % ENVIRONMENTS.length],
          releaseId: releaseIds[k % releaseIds.length],
          actor: 'bench-seed',
          at: new Date(BASE_TIME + k * 1000).toISOString(),
          details: { version: `1.0.${k % 1000}`, message: 'seeded event' },
        });
      }
      await stores.events.append(batch);
    });
  }
  return count;
}
