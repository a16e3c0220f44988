import {
  benchLog,
  BenchReport,
  formatMeasure,
  TimeParts,
} from '@internal/test-utils';
import { Latency, latencyOf, percentile } from './loadClient';
import { Span, withoutStalls } from './stallMonitor';
import { PHASES, TimeShares } from './timeShares';

export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

/**
 * A path's latencies: of all requests, and of those the machine did not hold
 * up; when measured in rounds, the p95 of each round's requests too.
 */
export interface Measured {
  all: Latency;
  unstalled: Latency;
  roundP95s: number[];
  /** Where its mean request spent its time, when the backend's process served it. */
  shares?: TimeShares;
}

export function measured(spans: Span[], stalls: Span[]): Measured {
  return {
    all: latencyOf(spans),
    unstalled: latencyOf(withoutStalls(spans, stalls)),
    roundP95s: [],
  };
}

/**
 * As `measured`, of requests sent in rounds (one list of spans per round),
 * with where the time went in a round of their own (see `TimeShareRecorder`).
 */
export function measuredInRounds(
  rounds: Span[][],
  stalls: Span[],
  shares?: TimeShares,
): Measured {
  return {
    ...measured(rounds.flat(), stalls),
    roundP95s: rounds.map(round => latencyOf(round).p95),
    shares,
  };
}

/** A mean request's parts, in the order the chart stacks them. */
function partsOf(shares: TimeShares): TimeParts {
  return {
    requests: shares.requests,
    total: shares.total,
    parts: [
      ...PHASES.map(phase => ({ name: phase, ms: shares.phases[phase] })),
      { name: 'server', ms: shares.server },
      { name: 'outside-server', ms: shares.outside },
    ],
  };
}

/**
 * `<name>.time.<part>`: where our mean request spent its time (see
 * `TimeShares`), and the same of the peer and the bare side for the chart.
 */
export function reportTimeShares(
  report: BenchReport,
  name: string,
  sides: { plugin: Measured; bare?: Measured; peer?: Measured },
) {
  const { plugin, bare, peer } = sides;
  if (!plugin.shares) {
    return;
  }
  const ours = partsOf(plugin.shares);
  report.metric(`${name}.time.mean`, ours.total, 'ms');
  for (const part of ours.parts) {
    report.metric(`${name}.time.${part.name}`, part.ms, 'ms');
  }
  report.timeParts(name, {
    ours,
    peer: peer?.shares && partsOf(peer.shares),
    bare: bare?.shares && partsOf(bare.shares),
  });
}

/**
 * Each round's p95 of ours as a multiple of the yardstick's p95 in the same
 * round, and their median: a measure of the same multiple that a slow spell
 * of the machine during one side's turn moves less than the p95s of all
 * rounds pooled. Undefined unless both were measured in the same rounds.
 */
export function multipleByRound(ours: Measured, yardstick: Measured) {
  const count = ours.roundP95s.length;
  if (count === 0 || yardstick.roundP95s.length !== count) {
    return undefined;
  }
  const multiples = ours.roundP95s.map(
    (p95, round) => p95 / yardstick.roundP95s[round],
  );
  const median = percentile(
    [...multiples].sort((a, b) => a - b),
    50,
  );
  return { multiples, median };
}

/**
 * `<name>.round-median` (information): the median over rounds
 * of each round's multiple, each round's multiple on stderr.
 */
export function reportMultipleByRound(
  report: BenchReport,
  name: string,
  ours: Measured,
  yardstick: Measured,
) {
  const byRound = multipleByRound(ours, yardstick);
  if (!byRound) {
    return;
  }
  report.metric(`${name}.round-median`, byRound.median, 'x');
  benchLog(
    `${name} by round: ${byRound.multiples
      .map(multiple => formatMeasure(multiple))
      .join(', ')}`,
  );
}

/**
 * `<name>.p50` and `<name>.p95` with their ratios to the bare side, and
 * `<name>.p95.unstalled`: the p95 of the requests during which the machine
 * did not stand still, with the ratio of the bare side's equivalent. With a
 * peer (the catalog read measured in the same rounds): its p50 and p95, and
 * `<name>.p95.vs-peer`, our p95 as a multiple of the peer's, also by round.
 */
export function reportLatency(
  report: BenchReport,
  name: string,
  plugin: Measured,
  bare: Measured,
  peer?: Measured,
) {
  for (const p of ['p50', 'p95'] as const) {
    report.metric(
      `${name}.${p}`,
      plugin.all[p],
      'ms',
      bare.all[p] / plugin.all[p],
    );
  }
  report.metric(
    `${name}.p95.unstalled`,
    plugin.unstalled.p95,
    'ms',
    bare.unstalled.p95 / plugin.unstalled.p95,
  );
  if (peer) {
    report.metric(`${name}.peer.p50`, peer.all.p50, 'ms');
    report.metric(`${name}.peer.p95`, peer.all.p95, 'ms');
    report.metric(`${name}.p95.vs-peer`, plugin.all.p95 / peer.all.p95, 'x');
    report.metric(
      `${name}.p95.vs-peer.unstalled`,
      plugin.unstalled.p95 / peer.unstalled.p95,
      'x',
    );
    reportMultipleByRound(report, `${name}.p95.vs-peer`, plugin, peer);
  }
  report.latencies(name, { ours: plugin.all, peer: peer?.all, bare: bare.all });
  reportTimeShares(report, name, { plugin, bare, peer });
}
