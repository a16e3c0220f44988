import { Knex } from 'knex';
import { ReleasesDatabase } from '../../src/database/ReleasesDatabase';
import {
  seedAuditTrail,
  seedChecks,
  seedDeploymentHistory,
  seedEntityReleases,
  SeededDeployment,
} from '../historySeed';
import { dataSizes } from '../options';

/** The one entity whose Releases tab is measured. */
export const MEASURED_ENTITY = 'component:default/bench-browser';

export interface BrowserSeed {
  releases: number;
  deployments: number;
  events: number;
  /** What the first row of the release history shows. */
  newestVersion: string;
  /** The deployment whose page is measured: the newest one in production. */
  measuredDeployment: SeededDeployment;
  seconds: number;
}

/**
 * The measured entity's history, as the server benchmark seeds its large
 * entity: 100,000 releases × scale, checks on the newest 2,000, 10,000
 * deployments × scale through the pipeline and 100,000 audit events × scale.
 */
export async function seedMeasuredEntity(
  knex: Knex,
  scale: number,
  progress: (message: string) => void,
): Promise<BrowserSeed> {
  const started = performance.now();
  const elapsed = () =>
    `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const sizes = dataSizes(scale);
  const db = await ReleasesDatabase.fromKnex(knex);

  const releases = await seedEntityReleases(
    db,
    MEASURED_ENTITY,
    sizes.bigEntityReleases,
  );
  progress(`seeded ${releases.ids.length} releases (${elapsed()})`);
  await seedChecks(db, releases.ids.slice(-2000));
  const deployments = await seedDeploymentHistory(
    db,
    MEASURED_ENTITY,
    releases.ids,
    sizes.deployments,
  );
  progress(`seeded ${deployments.length} deployments (${elapsed()})`);
  await seedAuditTrail(db, MEASURED_ENTITY, releases.ids, sizes.events);
  progress(`seeded ${sizes.events} events (${elapsed()})`);

  const measuredDeployment = deployments
    .filter(deployment => deployment.environment === 'production')
    .pop();
  if (!measuredDeployment) {
    throw new Error('seeding: no deployment to production');
  }
  return {
    releases: releases.ids.length,
    deployments: deployments.length,
    events: sizes.events,
    newestVersion: releases.newestVersion,
    measuredDeployment,
    seconds: (performance.now() - started) / 1000,
  };
}
