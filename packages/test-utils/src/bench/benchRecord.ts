import fs from 'node:fs';

/**
 * The variable `yarn bench --report FILE` sets for each suite: a file of
 * JSON lines to which every result is appended as well as printed, so that
 * the root script can draw one chart of the suites' results.
 */
export const BENCH_RECORD_FILE_VARIABLE = 'BENCH_RECORD_FILE';

/** p50 and p95 of one side of a latency path, in milliseconds. */
export interface LatencyPercentiles {
  p50: number;
  p95: number;
}

/** Where a side's mean request of a path spends its time: parts in milliseconds that add up to `total`. */
export interface TimeParts {
  requests: number;
  total: number;
  parts: Array<{ name: string; ms: number }>;
}

export type BenchRecord =
  | {
      type: 'metric';
      name: string;
      value: number;
      unit: string;
      ratio?: number;
    }
  | {
      type: 'target' | 'informational';
      name: string;
      value: number;
      condition: string;
      holds: boolean;
    }
  | {
      /** A target that could not be measured here, and does not count. */
      type: 'not-measured';
      name: string;
      condition: string;
    }
  | {
      /** One path's latencies: ours, the peer (a catalog read) and the bare server. */
      type: 'latencies';
      path: string;
      ours: LatencyPercentiles;
      peer?: LatencyPercentiles;
      bare?: LatencyPercentiles;
    }
  | {
      /** Where one path's mean request spends its time, for each side. */
      type: 'time-parts';
      path: string;
      ours: TimeParts;
      peer?: TimeParts;
      bare?: TimeParts;
    };

/** Appends a result to the record file, when `yarn bench --report` asked for one. */
export function appendBenchRecord(record: BenchRecord) {
  const file = process.env[BENCH_RECORD_FILE_VARIABLE];
  if (file) {
    fs.appendFileSync(file, `${JSON.stringify(record)}\n`);
  }
}
