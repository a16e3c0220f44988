/** The fleet-wide read paths of `yarn bench`: the fleet page and the approvals inbox. */
import { FleetEntity, Page } from 'backstage-plugin-immutable-releases-common';
import { formatMeasure } from '@internal/test-utils';
import { Context, sequentialLatency } from './measure';
import { APPROVER } from './fleetSeed';
import { measured, now, reportLatency, reportMultipleByRound } from './report';
import { Span } from './stallMonitor';
import { ENVIRONMENTS } from './historySeed';

/** Fleet pages measured, spread evenly over the fleet. */
const MEASURED_PAGES = 20;

/**
 * One entity's environments answer, the yardstick of both paths, measured
 * in the same rounds as the same user: a few fleet entities in turn.
 */
function environmentsOfOneEntity(
  ctx: Context,
  headers: Record<string, string>,
) {
  const names = ctx.fleet.names.filter(
    (_, i, all) => i % Math.ceil(all.length / 10) === 0,
  );
  return {
    pluginPath: names.map(
      name => `/v1/entities/component/default/${name}/environments`,
    ),
    barePath: names.map(
      name =>
        `/environments?entity=${encodeURIComponent(
          `component:default/${name}`,
        )}&environments=${ENVIRONMENTS.join(',')}`,
    ),
    headers,
  };
}

/** The approver, signed in: both paths are what the portal asks for a person. */
async function asApprover(ctx: Context) {
  return {
    authorization: `Bearer ${await ctx.backend.approverToken()}`,
  };
}

async function getJson<T>(url: string, headers: Record<string, string>) {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`GET ${url} answered ${response.status}: ${text}`);
  }
  return JSON.parse(text) as T;
}

/**
 * Every page of the fleet, read once through the plugin: each page's
 * cursor and the entity before it. Fails unless the pages hold every fleet
 * entity once, in order, each with its three environments.
 */
async function walkFleet(ctx: Context, headers: Record<string, string>) {
  const pages: Array<{ cursor?: string; after: string }> = [];
  const seen: string[] = [];
  const spans: Span[] = [];
  let cursor: string | undefined;
  do {
    const query = `limit=50${cursor ? `&cursor=${cursor}` : ''}`;
    const started = now();
    const page = await getJson<Page<FleetEntity>>(
      `${ctx.pluginUrl}/v1/environments?${query}`,
      headers,
    );
    spans.push([started, now()]);
    pages.push({ cursor, after: seen[seen.length - 1] ?? '' });
    for (const entity of page.items) {
      if (entity.environments.length !== ENVIRONMENTS.length) {
        throw new Error(
          `the fleet shows ${entity.entityRef} with ${entity.environments.length} environments`,
        );
      }
      seen.push(entity.entityRef);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const fleet = ctx.fleet.names.map(name => `component:default/${name}`);
  const shown = seen.filter(ref =>
    ref.startsWith('component:default/bench-fleet-'),
  );
  if (shown.join() !== fleet.join()) {
    throw new Error(
      `the fleet's pages showed ${shown.length} of the ${fleet.length} fleet entities`,
    );
  }
  // Pages whose 50 entities all belong to the seeded fleet.
  const inFleet = new Set(fleet);
  const firstOutside = seen.findIndex(ref => !inFleet.has(ref));
  const fleetPages = pages.filter(
    (_, index) => firstOutside < 0 || (index + 1) * 50 <= firstOutside,
  );
  const step = Math.max(1, Math.floor(fleetPages.length / MEASURED_PAGES));
  return {
    pages: fleetPages.filter((_, index) => index % step === 0),
    firstVisits: measured(spans, await ctx.stalls.stalls()),
  };
}

export const fleetPaths = {
  async fleet(ctx: Context) {
    const headers = await asApprover(ctx);
    const { pages, firstVisits } = await walkFleet(ctx, headers);
    const [fleet, environments] = await sequentialLatency(ctx, [
      {
        pluginPath: pages.map(
          page =>
            `/v1/environments?limit=50${
              page.cursor ? `&cursor=${page.cursor}` : ''
            }`,
        ),
        barePath: pages.map(
          page => `/fleet?after=${encodeURIComponent(page.after)}`,
        ),
        headers,
      },
      environmentsOfOneEntity(ctx, headers),
    ]);
    const r = ctx.report;
    reportLatency(r, 'fleet', fleet.plugin, fleet.bare, fleet.peer);
    r.metric('fleet.bare.p95', fleet.bare.all.p95, 'ms', 1);
    reportLatency(r, 'fleet.entity', environments.plugin, environments.bare);
    // Every page once, in order, before the measured rounds: none of its
    // entities is in the plugin's short memory of catalog answers yet.
    r.metric('fleet.first.p50', firstVisits.all.p50, 'ms');
    r.metric('fleet.first.p95', firstVisits.all.p95, 'ms');
    reportMultipleByRound(
      r,
      'fleet.p95.vs-entity',
      fleet.plugin,
      environments.plugin,
    );
    const bound = 2 * environments.plugin.all.p95;
    r.target(
      'fleet.p95',
      fleet.plugin.all.p95,
      `<=2x${formatMeasure(environments.plugin.all.p95)}ms`,
      fleet.plugin.all.p95 <= bound,
    );
  },

  async approvals(ctx: Context) {
    const headers = await asApprover(ctx);
    const first = await getJson<Page<{ requestedBy: string }>>(
      `${ctx.pluginUrl}/v1/approvals?limit=50`,
      headers,
    );
    const expected = Math.min(50, ctx.fleet.approvable);
    if (
      first.items.length !== expected ||
      first.items.some(item => item.requestedBy === APPROVER)
    ) {
      throw new Error(
        `the approvals inbox showed ${first.items.length} deployments, expected ${expected} that ${APPROVER} did not request`,
      );
    }
    const [approvals, environments] = await sequentialLatency(ctx, [
      {
        pluginPath: '/v1/approvals?limit=50',
        barePath: `/approvals?approver=${encodeURIComponent(APPROVER)}`,
        headers,
      },
      environmentsOfOneEntity(ctx, headers),
    ]);
    const r = ctx.report;
    reportLatency(
      r,
      'approvals',
      approvals.plugin,
      approvals.bare,
      approvals.peer,
    );
    r.metric('approvals.bare.p95', approvals.bare.all.p95, 'ms', 1);
    reportLatency(
      r,
      'approvals.entity',
      environments.plugin,
      environments.bare,
    );
    reportMultipleByRound(
      r,
      'approvals.p95.vs-entity',
      approvals.plugin,
      environments.plugin,
    );
    const bound = 2 * environments.plugin.all.p95;
    r.target(
      'approvals.p95',
      approvals.plugin.all.p95,
      `<=2x${formatMeasure(environments.plugin.all.p95)}ms`,
      approvals.plugin.all.p95 <= bound,
    );
  },
};
