/**
 * The peer of our paths in `yarn bench`: the catalog's read of one entity by
 * name, and the targets that are multiples of it.
 */
import { BenchReport } from '@internal/test-utils';
import type { Context } from './measure';
import { Measured, reportLatency, reportMultipleByRound } from './report';
import { ENTITY } from './seed';

/**
 * The peer of our read paths: the catalog's read of one entity by name, the
 * cheapest authenticated read a Backstage backend serves. It passes the same
 * HTTP stack, credentials and permission check as our routes do, so a path's
 * multiple of it is the cost that is ours.
 */
export function catalogPeer(ctx: Context) {
  const [kind, rest] = ENTITY.large.split(':');
  return {
    baseUrl: `${ctx.backend.baseUrl}/api/catalog`,
    path: `/entities/by-name/${kind}/${rest}`,
  };
}

/** How many components `catalogPagePeer` reads: as many as a history or events page holds. */
export const CATALOG_PAGE_SIZE = 50;

/**
 * A second yardstick, for the paged reads (history, events), as information
 * only: the catalog's own page of 50 components. It answers about as many
 * bytes as a page of ours; the by-name read answers about 1 KB. The list
 * endpoint, not `by-query`: that one also counts every matching entity,
 * which with the fleet's 10,000 components would weigh more than the page.
 */
export function catalogPagePeer(ctx: Context) {
  return {
    baseUrl: `${ctx.backend.baseUrl}/api/catalog`,
    path: `/entities?filter=kind=component&limit=${CATALOG_PAGE_SIZE}`,
  };
}

/**
 * `<name>.catalog-page.p50/p95` and the information line
 * `<name>.p95.vs-catalog-page`: our p95 as a multiple of the catalog page's.
 */
export function reportAgainstCatalogPage(
  report: BenchReport,
  name: string,
  plugin: Measured,
  page: Measured,
  bound: number,
) {
  report.metric(`${name}.catalog-page.p50`, page.all.p50, 'ms');
  report.metric(`${name}.catalog-page.p95`, page.all.p95, 'ms');
  reportMultipleByRound(report, `${name}.p95.vs-catalog-page`, plugin, page);
  const multiple = plugin.all.p95 / page.all.p95;
  report.informational(
    `${name}.p95.vs-catalog-page`,
    multiple,
    `<=${bound}x`,
    multiple <= bound,
  );
}

/** Our p95 as a multiple of the peer's p95. */
export function peerMultiple(plugin: Measured, peer: Measured) {
  return plugin.all.p95 / peer.all.p95;
}

/** The target `<name>.p95.vs-peer`: our p95 at most `bound` times the peer's. */
export function peerTarget(
  report: BenchReport,
  name: string,
  plugin: Measured,
  peer: Measured,
  bound: number,
) {
  const multiple = peerMultiple(plugin, peer);
  report.target(
    `${name}.p95.vs-peer`,
    multiple,
    `<=${bound}x`,
    multiple <= bound,
  );
}

/**
 * A path measured against the bare server and the peer: its latency lines,
 * the bare p95, the target against the peer, and its absolute bound as a
 * line of information.
 */
export function reportAgainstPeer(
  report: BenchReport,
  name: string,
  sides: { plugin: Measured; bare: Measured; peer: Measured },
  bounds: { peer: number; absoluteMs: number },
) {
  const { plugin, bare, peer } = sides;
  reportLatency(report, name, plugin, bare, peer);
  report.metric(`${name}.bare.p95`, bare.all.p95, 'ms', 1);
  peerTarget(report, name, plugin, peer, bounds.peer);
  report.informational(
    `${name}.p95`,
    plugin.all.p95,
    `<=${bounds.absoluteMs}ms`,
    plugin.all.p95 <= bounds.absoluteMs,
  );
}
