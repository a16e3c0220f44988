import { Latency, latencyOf } from './loadClient';
import { Span, withoutStalls } from './stallMonitor';

export const log = (message: string) =>
  process.stderr.write(`bench: ${message}\n`);
export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

export function format(value: number): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** Prints `name value unit ratio` lines and keeps the verdicts of the targets. */
export class Report {
  private readonly verdicts: boolean[] = [];

  metric(name: string, value: number, unit: string, ratio?: number) {
    process.stdout.write(
      `${name} ${format(value)} ${unit} ${
        ratio === undefined ? '-' : format(ratio)
      }\n`,
    );
  }

  /** A target line: `target.<name> <measured> <condition> pass|fail`. */
  target(name: string, value: number, condition: string, holds: boolean) {
    this.verdicts.push(holds);
    process.stdout.write(
      `target.${name} ${format(value)} ${condition} ${
        holds ? 'pass' : 'fail'
      }\n`,
    );
  }

  notMeasurable(name: string, why: string) {
    this.verdicts.push(false);
    log(`${name}: not measurable: ${why}`);
    process.stdout.write(`target.${name} NaN not-measurable fail\n`);
  }

  finish() {
    const holding = this.verdicts.filter(Boolean).length;
    process.stdout.write(
      `bench: ${holding} of ${this.verdicts.length} targets hold\n`,
    );
  }
}

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
 * did not stand still, with the ratio of the bare side's equivalent.
 */
export function reportLatency(
  report: Report,
  name: string,
  plugin: Measured,
  bare: Measured,
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
}
