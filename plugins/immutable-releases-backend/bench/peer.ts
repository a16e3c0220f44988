/**
 * The peer of our paths in `yarn bench`: the catalog's read of one entity by
 * name, and the targets that are multiples of it.
 */
import { BenchReport } from '@internal/test-utils';
import type { Context } from './measure';
import type { Measured } from './report';
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
