/**
 * Where a served request's time goes, recorded in the backend's process
 * without touching the code that serves it: when each HTTP request is served
 * (the `http.server.*` diagnostics channels), each call it makes to another
 * of the backend's plugins over HTTP (`http.client.*`, by path: permission,
 * catalog, others) and each database statement it runs (wrappers of the `pg`
 * client's `query` and of better-sqlite3's statements). A call or statement
 * belongs to the request in whose asynchronous context it starts, so the
 * backend's background work (the catalog's processing, schedulers) is left
 * out.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { now } from './report';
import { Span } from './stallMonitor';

/** What a request waits for, in the order that decides a millisecond spent on two at once. */
export const PHASES = [
  'permission',
  'catalog',
  'other-calls',
  'database',
] as const;
export type Phase = (typeof PHASES)[number];

/** A side's mean request, in milliseconds: the parts add up to `total`. */
export interface TimeShares {
  requests: number;
  /** As the client measured it. */
  total: number;
  /** Calls to other plugins and database statements, each millisecond counted once. */
  phases: Record<Phase, number>;
  /** The rest of the time the request was being served: HTTP stack, credentials, validation, the plugin's code, the answer. */
  server: number;
  /** The client's span outside the server's: the client, the sockets, parsing before the handler. */
  outside: number;
}

interface Timed {
  start: number;
  end: number;
}

interface Served extends Timed {
  waits: Array<Timed & { phase: Phase }>;
}

/** A request served is matched to the client's span it started in, give or take this much clock skew between threads. */
const SKEW_MS = 0.5;

export class TimeShareRecorder {
  private readonly context = new AsyncLocalStorage<Served>();
  private served: Served[] = [];
  private tracing = false;

  /** Hooks into the process, recording only while `trace` runs. */
  static install(): TimeShareRecorder {
    const recorder = new TimeShareRecorder();
    recorder.recordServedRequests();
    recorder.recordCalls();
    recorder.recordPostgresStatements();
    recorder.recordSqliteStatements();
    return recorder;
  }

  /**
   * Runs `send` (requests sent one at a time; their spans as the client saw
   * them) with recording on, and answers the mean shares of its requests;
   * undefined when this process served none of them. Recording keeps an
   * asynchronous context for every request, which costs every promise of
   * the process a little: the measured rounds run without it.
   */
  async trace(send: () => Promise<Span[]>): Promise<TimeShares | undefined> {
    this.tracing = true;
    let spans: Span[];
    try {
      spans = await send();
    } finally {
      this.tracing = false;
      this.context.disable();
    }
    const shares = this.sharesOf(spans);
    this.served = [];
    return shares;
  }

  private sharesOf(spans: Span[]): TimeShares | undefined {
    const phases = Object.fromEntries(PHASES.map(p => [p, 0])) as Record<
      Phase,
      number
    >;
    const sums = { total: 0, server: 0, outside: 0 };
    let requests = 0;
    for (const [start, end] of spans) {
      const found = this.servedWithin(start, end);
      if (!found) {
        continue;
      }
      requests++;
      // The promotion's span ends when the executor is called, which can
      // come before the answer is sent.
      const served = { start: found.start, end: Math.min(found.end, end) };
      const servedMs = served.end - served.start;
      sums.total += end - start;
      sums.outside += Math.max(0, end - start - servedMs);
      let covered: Interval[] = [];
      let waitedMs = 0;
      for (const phase of PHASES) {
        const own = merge(
          found.waits
            .filter(wait => wait.phase === phase)
            .map(
              (wait): Interval => [
                Math.max(wait.start, served.start),
                Math.min(wait.end, served.end),
              ],
            ),
        );
        const ms = lengthOf(own) - overlap(own, covered);
        phases[phase] += ms;
        waitedMs += ms;
        covered = merge([...covered, ...own]);
      }
      sums.server += servedMs - waitedMs;
    }
    if (requests === 0) {
      return undefined;
    }
    const mean = (ms: number) => ms / requests;
    return {
      requests,
      total: mean(sums.total),
      server: mean(sums.server),
      outside: mean(sums.outside),
      phases: Object.fromEntries(
        PHASES.map(p => [p, mean(phases[p])]),
      ) as Record<Phase, number>,
    };
  }

  /** The first request served that started within the client's span: the client's own, not a call it led to. */
  private servedWithin(start: number, end: number) {
    const served = this.served.find(
      candidate => candidate.start >= start - SKEW_MS,
    );
    return served && served.start <= end && Number.isFinite(served.end)
      ? served
      : undefined;
  }

  /** Starts timing something the current request waits for, if a traced request is current. */
  private startWait(phase: Phase) {
    const served = this.tracing ? this.context.getStore() : undefined;
    if (!served) {
      return undefined;
    }
    const wait = { start: now(), end: Infinity, phase };
    served.waits.push(wait);
    return wait;
  }

  private recordServedRequests() {
    const pending = new WeakMap<IncomingMessage, Served>();
    diagnostics.subscribe('http.server.request.start', message => {
      if (!this.tracing) {
        return;
      }
      const { request } = message as { request: IncomingMessage };
      const served: Served = { start: now(), end: Infinity, waits: [] };
      this.served.push(served);
      pending.set(request, served);
      // Published just before the server hands the request to its handler:
      // whatever the handler starts runs in this context.
      this.context.enterWith(served);
    });
    diagnostics.subscribe('http.server.response.finish', message => {
      const { request } = message as { request: IncomingMessage };
      const served = pending.get(request);
      if (served) {
        served.end = now();
      }
    });
  }

  private recordCalls() {
    const pending = new WeakMap<ClientRequest, Timed>();
    diagnostics.subscribe('http.client.request.start', message => {
      const { request } = message as { request: ClientRequest };
      const wait = this.startWait(phaseOfCall(request.path));
      if (wait) {
        pending.set(request, wait);
      }
    });
    // Listening to the answer's end, not to the request's `response` event,
    // leaves what happens to an answer nobody reads as it was.
    diagnostics.subscribe('http.client.response.finish', message => {
      const { request, response } = message as {
        request: ClientRequest;
        response: IncomingMessage;
      };
      const wait = pending.get(request);
      if (wait) {
        response.once('end', () => {
          wait.end = now();
        });
      }
    });
  }

  private recordPostgresStatements() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require('pg');
    const query = Client.prototype.query;
    const startWait = () => this.startWait('database');
    Client.prototype.query = function timedQuery(...args: unknown[]) {
      const wait = startWait();
      if (!wait) {
        return query.apply(this, args);
      }
      const done = () => {
        wait.end = now();
      };
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (...results: unknown[]) => {
          done();
          return callback(...results);
        };
        return query.apply(this, args);
      }
      const result = query.apply(this, args);
      if (typeof result?.then === 'function') {
        result.then(done, done);
      } else {
        done();
      }
      return result;
    };
  }

  private recordSqliteStatements() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3');
    const probe = new Database(':memory:');
    const statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
    probe.close();
    const startWait = () => this.startWait('database');
    for (const method of ['run', 'get', 'all']) {
      const original = statement[method];
      statement[method] = function timedStatement(...args: unknown[]) {
        const wait = startWait();
        try {
          return original.apply(this, args);
        } finally {
          if (wait) {
            wait.end = now();
          }
        }
      };
    }
  }
}

type Interval = [number, number];

function phaseOfCall(path: string | undefined): Phase {
  if (path?.startsWith('/api/permission/')) {
    return 'permission';
  }
  if (path?.startsWith('/api/catalog/')) {
    return 'catalog';
  }
  return 'other-calls';
}

function merge(intervals: Interval[]) {
  const sorted = intervals
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: Interval[] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) {
      last[1] = Math.max(last[1], end);
    } else {
      merged.push([start, end]);
    }
  }
  return merged;
}

function lengthOf(intervals: Interval[]) {
  return intervals.reduce((sum, [start, end]) => sum + end - start, 0);
}

/** How long two merged lists of intervals overlap. */
function overlap(a: Interval[], b: Interval[]) {
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    total += Math.max(
      0,
      Math.min(a[i][1], b[j][1]) - Math.max(a[i][0], b[j][0]),
    );
    if (a[i][1] < b[j][1]) {
      i++;
    } else {
      j++;
    }
  }
  return total;
}
