import { Knex } from 'knex';
import { BenchDatabase, BenchReport } from '@internal/test-utils';
import { BENCH_TOKEN, BenchBackend } from './benchBackend';
import {
  LoadClient,
  LoadRequest,
  openLoadClient,
  runLoad,
  spansOf,
} from './loadClient';
import { FleetSeed } from './fleetSeed';
import { BenchOptions } from './options';
import { catalogPagePeer, catalogPeer } from './peer';
import { measuredInRounds } from './report';
import { SeedResult } from './seed';
import { Span, StallMonitor } from './stallMonitor';
import { TimeShareRecorder, TimeShares } from './timeShares';

export interface Context {
  options: BenchOptions;
  database: BenchDatabase;
  knex: Knex;
  backend: BenchBackend;
  pluginUrl: string;
  bareUrl: string;
  seeded: SeedResult;
  fleet: FleetSeed;
  report: BenchReport;
  stalls: StallMonitor;
  timeShares: TimeShareRecorder;
}

export const auth = { authorization: `Bearer ${BENCH_TOKEN}` };

/** What one side of a latency path asks: one path, or several in turn. */
type Paths = string | string[];

const pathCount = (paths: Paths) =>
  typeof paths === 'string' ? 1 : paths.length;

/**
 * `n` reads of the catalog peer, `concurrency` at a time, with the static
 * token: from `client` when given, else from a worker of their own.
 */
export function readCatalogPeer(
  ctx: Context,
  n: number,
  concurrency: number,
  client?: LoadClient,
) {
  const peer = catalogPeer(ctx);
  return (client?.run ?? runLoad)({
    ...peer,
    headers: auth,
    requests: Array.from(
      { length: n },
      (): LoadRequest => ({ method: 'GET', path: peer.path }),
    ),
    concurrency,
    expectStatus: 200,
  });
}

/**
 * Sequential GETs after a warm-up, from one kept client worker, that take
 * the plugin, the bare server and the catalog peer in turn request by
 * request (and a side's several paths in turn), so that a change of the
 * machine's load during the run affects all sides alike. The peer is asked
 * with the headers of the first target; with `catalogPage`, the catalog's
 * page of components too (`page`).
 */
export async function sequentialLatency(
  ctx: Context,
  targets: Array<{
    pluginPath: Paths;
    barePath: Paths;
    headers?: Record<string, string>;
  }>,
  { rounds = 5, catalogPage = false } = {},
) {
  const { warmup, samples } = ctx.options;
  const get = (paths: Paths, n: number): LoadRequest[] => {
    const list = typeof paths === 'string' ? [paths] : paths;
    return Array.from({ length: n }, (_, i) => ({
      method: 'GET',
      path: list[i % list.length],
    }));
  };
  const sides = targets.flatMap(target => [
    {
      baseUrl: ctx.pluginUrl,
      path: target.pluginPath,
      headers: target.headers ?? auth,
    },
    { baseUrl: ctx.bareUrl, path: target.barePath, headers: {} },
  ]);
  sides.push({ ...catalogPeer(ctx), headers: targets[0].headers ?? auth });
  if (catalogPage) {
    sides.push({
      ...catalogPagePeer(ctx),
      headers: targets[0].headers ?? auth,
    });
  }
  const client = openLoadClient();
  const ask = (side: (typeof sides)[number], count: number) =>
    client.run({
      ...side,
      requests: get(side.path, count),
      concurrency: 1,
      expectStatus: 200,
    });
  const n = Math.ceil(samples / rounds);
  const cycleSides = sides.map(side => ({
    baseUrl: side.baseUrl,
    headers: side.headers,
    paths: typeof side.path === 'string' ? [side.path] : side.path,
  }));
  // Each side's spans, one list per round.
  const spans = sides.map(() => [] as Span[][]);
  const shares: Array<TimeShares | undefined> = [];
  try {
    for (const side of sides) {
      await ask(side, warmup);
    }
    for (let round = 0; round < rounds; round++) {
      const runs = await client.cycles({
        sides: cycleSides,
        count: n,
        expectStatus: 200,
        // Within the plugin's 5-second memory of catalog answers, with room
        // for a visit of every path.
        rewarmMs: 3_000,
      });
      runs.forEach((run, index) => spans[index].push(spansOf(run)));
    }
    // Where the time goes, in one more turn of each side: recording it
    // slows every request of the process a little. The other sides' turns
    // outlast the plugin's 5-second memory of catalog answers: a turn asks
    // each path once more first, unmeasured.
    for (const [index, side] of sides.entries()) {
      shares[index] = await ctx.timeShares.trace(async () => {
        await ask(side, pathCount(side.path));
        return spansOf(await ask(side, n));
      });
    }
  } finally {
    await client.close();
  }
  const stalls = await ctx.stalls.stalls();
  const peer = measuredInRounds(
    spans[2 * targets.length],
    stalls,
    shares[2 * targets.length],
  );
  const page = catalogPage
    ? measuredInRounds(
        spans[2 * targets.length + 1],
        stalls,
        shares[2 * targets.length + 1],
      )
    : undefined;
  return targets.map((_, t) => ({
    plugin: measuredInRounds(spans[2 * t], stalls, shares[2 * t]),
    bare: measuredInRounds(spans[2 * t + 1], stalls, shares[2 * t + 1]),
    peer,
    page,
  }));
}
