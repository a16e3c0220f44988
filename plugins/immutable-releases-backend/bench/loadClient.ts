import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export interface LoadRun {
  /** Absolute start and end times of each request, ms since the epoch. */
  starts: Float64Array;
  ends: Float64Array;
  bodies?: string[];
}

/**
 * Sends the requests from a worker thread, `concurrency` at a time, and fails
 * on the first answer whose status is not `expectStatus`.
 */
export function runLoad(options: {
  baseUrl: string;
  headers?: Record<string, string>;
  requests: LoadRequest[];
  concurrency: number;
  expectStatus: number;
  keepBodies?: boolean;
}): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'loadWorker.js'), {
      workerData: { headers: {}, keepBodies: false, ...options },
    });
    worker.once('message', message => {
      worker.terminate();
      if (message.error) {
        reject(new Error(message.error));
      } else {
        resolve(message.result);
      }
    });
    worker.once('error', reject);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export interface Latency {
  p50: number;
  p95: number;
  count: number;
}

/** Latency percentiles of the requests after the first `warmup`. */
export function latencies(
  run: LoadRun,
  warmup: number,
  end: (index: number) => number = index => run.ends[index],
): Latency {
  const values: number[] = [];
  for (let i = warmup; i < run.starts.length; i++) {
    values.push(end(i) - run.starts[i]);
  }
  values.sort((a, b) => a - b);
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    count: values.length,
  };
}

/** Requests per second over several runs: all their requests over the sum of their durations. */
export function combinedThroughput(runs: LoadRun[]): number {
  const requests = runs.reduce((sum, run) => sum + run.starts.length, 0);
  const milliseconds = runs.reduce(
    (sum, run) => sum + Math.max(...run.ends) - Math.min(...run.starts),
    0,
  );
  return (requests * 1000) / milliseconds;
}
