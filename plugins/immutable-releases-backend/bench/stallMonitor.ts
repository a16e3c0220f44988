import { once } from 'node:events';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

/** A time span, [start, end] in ms since the epoch. */
export type Span = [number, number];

const TICK_MS = 5;
/**
 * Shorter delays are ordinary scheduling on a busy machine; the pauses this
 * is for last hundreds of milliseconds (a virtual machine whose host stops it).
 */
export const STALL_MS = 50;

/**
 * Records when the machine stood still during the benchmark, so that figures
 * can be given with and without the requests it held up.
 */
export class StallMonitor {
  readonly startedAt = performance.timeOrigin + performance.now();

  private constructor(private readonly worker: Worker) {}

  static start(): StallMonitor {
    const worker = new Worker(path.join(__dirname, 'stallWorker.js'), {
      workerData: { tickMs: TICK_MS, stallMs: STALL_MS },
    });
    worker.unref();
    return new StallMonitor(worker);
  }

  /** The stalls seen so far. */
  async stalls(): Promise<Span[]> {
    // Rejects if the worker fails before it answers, and removes its listeners either way.
    const answer = once(this.worker, 'message');
    this.worker.postMessage('stalls');
    const [stalls] = await answer;
    return stalls as Span[];
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

/** How many ms of [start, end] the machine stood still. */
export function stalledWithin(stalls: Span[], start: number, end: number) {
  let stalled = 0;
  for (const [from, to] of stalls) {
    stalled += Math.max(0, Math.min(to, end) - Math.max(from, start));
  }
  return stalled;
}

/** The spans during which the machine did not stand still. */
export function withoutStalls(spans: Span[], stalls: Span[]): Span[] {
  return spans.filter(
    ([start, end]) => stalledWithin(stalls, start, end) === 0,
  );
}
