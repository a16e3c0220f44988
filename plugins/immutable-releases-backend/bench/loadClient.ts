import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { Span, stalledWithin } from './stallMonitor';

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

export interface LoadBatch {
  baseUrl: string;
  headers?: Record<string, string>;
  requests: LoadRequest[];
  concurrency: number;
  expectStatus: number;
  keepBodies?: boolean;
}

const WORKER = path.join(__dirname, 'loadWorker.js');

/**
 * Sends the requests from a worker thread, `concurrency` at a time, and fails
 * on the first answer whose status is not `expectStatus`.
 */
export function runLoad(options: LoadBatch): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
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

/**
 * Calls to a kept worker: each message gets an id, and its answer (the
 * message with that id) settles the call; the worker failing fails them all.
 */
function callsTo<Answer>(worker: Worker) {
  const waiting = new Map<
    number,
    { resolve(answer: Answer): void; reject(error: Error): void }
  >();
  let nextId = 0;
  worker.on('message', ({ id, error, ...answer }) => {
    const caller = waiting.get(id);
    waiting.delete(id);
    if (error) {
      caller?.reject(new Error(error));
    } else {
      caller?.resolve(answer as Answer);
    }
  });
  worker.on('error', (error: Error) => {
    for (const caller of waiting.values()) {
      caller.reject(error);
    }
    waiting.clear();
  });
  return (message: object) =>
    new Promise<Answer>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
}

/**
 * The load client's worker kept for a run of batches (`runLoad`'s), one
 * after another: one thread, warmed up once, whose connections stay open
 * from one batch to the next, as a client of a running service keeps them.
 * A worker per batch would measure, on every side's turn, a new thread
 * starting while the last one was torn down, and new connections.
 */
export interface LoadClient {
  run(batch: LoadBatch): Promise<LoadRun>;
  /**
   * `count` cycles of one sequential GET per side, the sides taken in turn
   * request by request, with every path asked once, unmeasured, first and
   * again whenever `rewarmMs` passed: each side's run.
   */
  cycles(options: {
    sides: Array<{
      baseUrl: string;
      headers: Record<string, string>;
      paths: string[];
    }>;
    count: number;
    expectStatus: number;
    rewarmMs: number;
  }): Promise<LoadRun[]>;
  close(): Promise<void>;
}

export function openLoadClient(): LoadClient {
  const worker = new Worker(WORKER, { workerData: { batches: true } });
  // One caller per worker: the answers' ids are counted by the caller.
  const call = callsTo<{ result: LoadRun | LoadRun[] }>(worker);
  return {
    async run(batch) {
      const { result } = await call({
        batch: { headers: {}, keepBodies: false, ...batch },
      });
      return result as LoadRun;
    },
    async cycles(cycles) {
      const { result } = await call({ cycles });
      return result as LoadRun[];
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** One exchange of a `ClientSession`: absolute start and end times (ms since the epoch). */
export interface Exchange {
  start: number;
  end: number;
  status: number;
  text: string;
}

/**
 * The load client's worker kept for requests sent one at a time, each when
 * the caller decides (a promotion after the previous one finished), on one
 * kept-alive connection: the client every path's requests and the peer's
 * come from.
 */
export interface ClientSession {
  send(request: LoadRequest): Promise<Exchange>;
  close(): Promise<void>;
}

export function openClientSession(options: {
  baseUrl: string;
  headers?: Record<string, string>;
}): ClientSession {
  const worker = new Worker(WORKER, {
    workerData: { headers: {}, ...options, session: true },
  });
  const call = callsTo<{ answer: Exchange }>(worker);
  return {
    async send(request) {
      const { answer } = await call({ request });
      return answer;
    },
    async close() {
      await worker.terminate();
    },
  };
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

/** The span of each request of a run. */
export function spansOf(run: LoadRun): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < run.starts.length; i++) {
    spans.push([run.starts[i], run.ends[i]]);
  }
  return spans;
}

/** Latency percentiles of requests with these spans. */
export function latencyOf(spans: Span[]): Latency {
  const values = spans.map(([start, end]) => end - start).sort((a, b) => a - b);
  return {
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    count: values.length,
  };
}

/**
 * Requests per second over several runs: all their requests over the sum of
 * their durations, less the time the machine stood still during them.
 */
export function combinedThroughput(runs: LoadRun[], stalls: Span[] = []) {
  const requests = runs.reduce((sum, run) => sum + run.starts.length, 0);
  const milliseconds = runs.reduce((sum, run) => {
    const start = Math.min(...run.starts);
    const end = Math.max(...run.ends);
    return sum + end - start - stalledWithin(stalls, start, end);
  }, 0);
  return (requests * 1000) / milliseconds;
}
