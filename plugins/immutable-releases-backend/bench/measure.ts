import { Knex } from 'knex';
import { BenchDatabase, BenchReport } from '@internal/test-utils';
import { BENCH_TOKEN, BenchBackend } from './benchBackend';
import { LoadRequest, runLoad, spansOf } from './loadClient';
import { BenchOptions } from './options';
import { measured } from './report';
import { SeedResult } from './seed';
import { Span, StallMonitor } from './stallMonitor';

export interface Context {
  options: BenchOptions;
  database: BenchDatabase;
  knex: Knex;
  backend: BenchBackend;
  pluginUrl: string;
  bareUrl: string;
  seeded: SeedResult;
  report: BenchReport;
  stalls: StallMonitor;
}

export const auth = { authorization: `Bearer ${BENCH_TOKEN}` };

/**
 * Sequential GETs after a warm-up, in rounds that alternate between the
 * plugin and the bare server (and between several paths), so that a change
 * of the machine's load during the run affects both sides alike.
 */
export async function sequentialLatency(
  ctx: Context,
  targets: Array<{ pluginPath: string; barePath: string }>,
  rounds = 5,
) {
  const { warmup, samples } = ctx.options;
  const get = (path: string, n: number): LoadRequest[] =>
    Array.from({ length: n }, () => ({ method: 'GET', path }));
  const sides = targets.flatMap(target => [
    { baseUrl: ctx.pluginUrl, path: target.pluginPath, headers: auth },
    { baseUrl: ctx.bareUrl, path: target.barePath, headers: {} },
  ]);
  for (const side of sides) {
    await runLoad({
      ...side,
      requests: get(side.path, warmup),
      concurrency: 1,
      expectStatus: 200,
    });
  }
  const spans = sides.map(() => [] as Span[]);
  for (let round = 0; round < rounds; round++) {
    const n = Math.ceil(samples / rounds);
    for (const [index, side] of sides.entries()) {
      const run = await runLoad({
        ...side,
        requests: get(side.path, n),
        concurrency: 1,
        expectStatus: 200,
      });
      spans[index].push(...spansOf(run));
    }
  }
  const stalls = await ctx.stalls.stalls();
  return targets.map((_, t) => ({
    plugin: measured(spans[2 * t], stalls),
    bare: measured(spans[2 * t + 1], stalls),
  }));
}
