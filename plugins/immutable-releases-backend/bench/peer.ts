/**
 * The peer of our paths in `yarn bench`: the catalog's read of one entity by
 * name, and the targets that are multiples of it.
 */
import { BenchReport } from '@internal/test-utils';
import type { Context } from './measure';
import { Measured, reportLatency } from './report';
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
