import { BenchReport } from '@internal/test-utils';
import { Latency, latencyOf } from './loadClient';
import { Span, withoutStalls } from './stallMonitor';

export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

/** A path's latencies: of all requests, and of those the machine did not hold up. */
export interface Measured {
  all: Latency;
  unstalled: Latency;
}

export function measured(spans: Span[], stalls: Span[]): Measured {
  return {
    all: latencyOf(spans),
    unstalled: latencyOf(withoutStalls(spans, stalls)),
  };
}

/**
 * `<name>.p50` and `<name>.p95` with their ratios to the bare side, and
 * `<name>.p95.unstalled`: the p95 of the requests during which the machine
 * did not stand still, with the ratio of the bare side's equivalent. With a
 * peer (the catalog read measured in the same rounds): its p50 and p95, and
 * `<name>.p95.vs-peer`, our p95 as a multiple of the peer's.
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
  }
  report.latencies(name, { ours: plugin.all, peer: peer?.all, bare: bare.all });
}
