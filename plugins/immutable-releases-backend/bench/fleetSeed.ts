import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { NewRelease } from '../src/database/ReleaseStore';
import { ReleasesDatabase } from '../src/database/ReleasesDatabase';
import { benchRelease, ENVIRONMENTS } from './historySeed';

/** Who opens the approvals inbox: the guest user of the bench backend. */
export const APPROVER = 'user:default/bench-approver';
/** Who requests the fleet's production promotions, as CI would. */
const REQUESTER = 'bench-ci';

export interface FleetSeed {
  /** The fleet's entity names, in entity ref order. */
  names: string[];
  /** Production promotions waiting for approvals. */
  pending: number;
  /** Of those, the ones the approver may still decide on. */
  approvable: number;
  seconds: number;
}

/** The name of the fleet's i-th entity; they sort in the order of i. */
export function fleetEntityName(i: number): string {
  return `bench-fleet-${String(i).padStart(5, '0')}`;
}

/**
 * What the approver may not decide on: one production promotion in four
 * was requested by the approver (separation of duties), one in four is
 * already approved by them; the other half waits for their approval.
 */
function approverRole(i: number): 'requester' | 'approved' | 'approver' {
  return (['requester', 'approved', 'approver', 'approver'] as const)[i % 4];
}

/**
 * The fleet, seeded through the plugin's stores: per entity two releases,
 * the newer one succeeded in development and staging, the older one
 * current in production with a promotion of the newer one waiting there for
 * two approvals; production observed running the current release, one
 * entity in twenty something unmanaged.
 */
export async function seedFleet(
  knex: Knex,
  count: number,
  progress: (message: string) => void,
): Promise<FleetSeed> {
  const started = performance.now();
  const db = await ReleasesDatabase.fromKnex(knex);
  const names = Array.from({ length: count }, (_, i) => fleetEntityName(i));
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  const at = (i: number, step: number) =>
    new Date(base + i * 60_000 + step * 1000).toISOString();
  const batch = 250;
  for (let first = 0; first < count; first += batch) {
    await db.transaction(async stores => {
      const releases: NewRelease[] = [];
      const last = Math.min(count, first + batch);
      for (let i = first; i < last; i++) {
        const entityRef = `component:default/${names[i]}`;
        releases.push(
          benchRelease(entityRef, '1.0.0', 2_000_000 + 2 * i, at(i, 0)),
          {
            ...benchRelease(entityRef, '1.1.0', 2_000_001 + 2 * i, at(i, 1)),
            createdBy: REQUESTER,
          },
        );
      }
      await stores.releases.insertReleases(releases);
      for (let i = first; i < last; i++) {
        const [older, newer] = releases.slice(
          2 * (i - first),
          2 * (i - first) + 2,
        );
        const entityRef = older.entityRef;
        const deploy = async (
          release: NewRelease,
          environment: string,
          step: number,
        ) => {
          const id = randomUUID();
          await stores.deployments.insertDeployment(
            {
              id,
              entityRef,
              pipeline: 'default',
              environment,
              releaseId: release.id,
              kind: 'promotion',
              reason: null,
              requestedBy: REQUESTER,
              createdAt: at(i, step),
              gates: [],
              overrideReason: null,
            },
            { at: at(i, step), actor: REQUESTER, message: 'requested' },
          );
          if (
            !(await stores.deployments.claim(id, REQUESTER, at(i, step + 60), {
              at: at(i, step),
              actor: REQUESTER,
              message: 'started',
            }))
          ) {
            throw new Error(`seeding the fleet: could not start ${id}`);
          }
          await stores.deployments.changeStatus(id, {
            from: ['running'],
            to: 'succeeded',
            at: at(i, step + 1),
            actor: REQUESTER,
            message: 'deployed',
            executor: { name: 'recorder', type: 'bench-recorder' },
          });
        };
        await deploy(older, 'production', 2);
        await deploy(newer, 'development', 4);
        await deploy(newer, 'staging', 6);

        const role = approverRole(i);
        const pendingId = randomUUID();
        const requestedBy = role === 'requester' ? APPROVER : REQUESTER;
        await stores.deployments.insertDeployment(
          {
            id: pendingId,
            entityRef,
            pipeline: 'default',
            environment: 'production',
            releaseId: newer.id,
            kind: 'promotion',
            reason: 'weekly release',
            requestedBy,
            createdAt: at(i, 8),
            gates: [
              {
                name: 'approvals',
                passed: false,
                message: '0 of 2 approvals',
              },
            ],
            overrideReason: null,
          },
          { at: at(i, 8), actor: requestedBy, message: 'promotion requested' },
        );
        if (role === 'approved') {
          await stores.deployments.addApproval(pendingId, {
            approver: APPROVER,
            decision: 'approve',
            at: at(i, 9),
          });
        }
      }
      const observations = releases
        .filter((_, index) => index % 2 === 0)
        .map((older, k) => {
          const i = first + k;
          return {
            entityRef: older.entityRef,
            environment: ENVIRONMENTS[2],
            digest:
              i % 20 === 19
                ? `sha256:${'e'.repeat(64)}`
                : older.artifact.digest,
            source: 'bench-seed',
            observedAt: at(i, 10),
            recordedAt: at(i, 10),
            recordedBy: 'bench-seed',
            details: null,
          };
        });
      await stores.observations.appendObservations(observations, observations);
    });
    if ((first / batch) % 8 === 7) {
      progress(`seeded ${first + batch} of ${count} fleet entities`);
    }
  }
  return {
    names,
    pending: count,
    approvable: names.filter((_, i) => approverRole(i) === 'approver').length,
    seconds: (performance.now() - started) / 1000,
  };
}
