import {
  appendBenchRecord,
  LatencyPercentiles,
  TimeParts,
} from './benchRecord';

/** Progress and diagnostics of a benchmark, on stderr: stdout carries only results. */
export const benchLog = (message: string) =>
  process.stderr.write(`bench: ${message}\n`);

/** A measured value as the result lines print it: three significant digits, whole from 100. */
export function formatMeasure(value: number): string {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/**
 * Prints a benchmark's result lines on stdout, `name value unit ratio`, and
 * `target.<name> <measured> <condition> pass|fail`, and keeps the verdicts of
 * the targets for the summary line. Under `yarn bench --report FILE` each
 * result is also recorded for the chart (see `benchRecord.ts`).
 */
export class BenchReport {
  private readonly verdicts: boolean[] = [];

  metric(name: string, value: number, unit: string, ratio?: number) {
    process.stdout.write(
      `${name} ${formatMeasure(value)} ${unit} ${
        ratio === undefined ? '-' : formatMeasure(ratio)
      }\n`,
    );
    appendBenchRecord({ type: 'metric', name, value, unit, ratio });
  }

  target(name: string, value: number, condition: string, holds: boolean) {
    this.verdicts.push(holds);
    process.stdout.write(
      `target.${name} ${formatMeasure(value)} ${condition} ${
        holds ? 'pass' : 'fail'
      }\n`,
    );
    appendBenchRecord({ type: 'target', name, value, condition, holds });
  }

  /**
   * A bound worth watching that does not count in the summary, such as an
   * absolute latency that depends on the machine more than on the code:
   * `info.<name> <measured> <condition> met|missed`.
   */
  informational(
    name: string,
    value: number,
    condition: string,
    holds: boolean,
  ) {
    process.stdout.write(
      `info.${name} ${formatMeasure(value)} ${condition} ${
        holds ? 'met' : 'missed'
      }\n`,
    );
    appendBenchRecord({
      type: 'informational',
      name,
      value,
      condition,
      holds,
    });
  }

  /** A path's percentiles for the chart of `--report`; prints nothing. */
  latencies(
    path: string,
    sides: {
      ours: LatencyPercentiles;
      peer?: LatencyPercentiles;
      bare?: LatencyPercentiles;
    },
  ) {
    const percentiles = (side?: LatencyPercentiles) =>
      side && { p50: side.p50, p95: side.p95 };
    appendBenchRecord({
      type: 'latencies',
      path,
      ours: percentiles(sides.ours)!,
      peer: percentiles(sides.peer),
      bare: percentiles(sides.bare),
    });
  }

  /** Where a path's mean request spends its time, for the chart of `--report`; prints nothing. */
  timeParts(
    path: string,
    sides: { ours: TimeParts; peer?: TimeParts; bare?: TimeParts },
  ) {
    appendBenchRecord({ type: 'time-parts', path, ...sides });
  }

  notMeasurable(name: string, why: string) {
    this.verdicts.push(false);
    benchLog(`${name}: not measurable: ${why}`);
    process.stdout.write(`target.${name} NaN not-measurable fail\n`);
    appendBenchRecord({
      type: 'target',
      name,
      value: NaN,
      condition: 'not-measurable',
      holds: false,
    });
  }

  /**
   * A target that cannot be measured for a reason that is no fault of what it
   * measures (a page that does not exist yet): it neither holds nor fails,
   * and does not count in the summary.
   */
  notMeasured(name: string, condition: string, why: string) {
    benchLog(`${name}: not measured: ${why}`);
    process.stdout.write(`target.${name} NaN ${condition} not-measured\n`);
    appendBenchRecord({ type: 'not-measured', name, condition });
  }

  /** The summary line: `bench: N of M targets hold`. */
  finish() {
    const holding = this.verdicts.filter(Boolean).length;
    process.stdout.write(
      `bench: ${holding} of ${this.verdicts.length} targets hold\n`,
    );
  }
}
