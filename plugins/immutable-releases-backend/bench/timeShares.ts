/**
 * Where a served request's time goes, recorded in the backend's process
 * without touching the code that serves it: when each HTTP request is served
 * (the `http.server.*` diagnostics channels), each call the backend makes to
 * another of its plugins over HTTP (`http.client.*`, by path: permission,
 * catalog, others) and each database statement (the `pg` client's and
 * better-sqlite3's). A request's shares are what the process was doing while
 * it was served. The measured paths send one request at a time, so what else
 * runs meanwhile is only the backend's background work.
 */
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
  /** The rest of the time the request was being served: HTTP stack, credentials, validation, our JavaScript, the answer. */
  server: number;
  /** The client's span outside the server's: the client, the sockets, parsing before the handler. */
  outside: number;
}

interface Timed {
  start: number;
  end: number;
}

type PhaseTimed = Timed & { phase: Phase };

/** A request served is matched to the client's span it started in, give or take this much clock skew between threads. */
const SKEW_MS = 0.5;
/** Statements and calls are looked up from this long before a request's start. */
const LONGEST_MS = 60_000;

export class TimeShareRecorder {
  private served: Timed[] = [];
  private calls: PhaseTimed[] = [];
  private statements: PhaseTimed[] = [];

  /** Starts recording, for the life of the process. */
  static install(): TimeShareRecorder {
    const recorder = new TimeShareRecorder();
    recorder.recordServedRequests();
    recorder.recordCalls();
    recorder.recordPostgresStatements();
    recorder.recordSqliteStatements();
    return recorder;
  }

  /** Forgets what was recorded so far: each path keeps only its own. */
  clear() {
    this.served = [];
    this.calls = [];
    this.statements = [];
  }

  /**
   * The mean shares of the requests the client sent one at a time in
   * `spans`; undefined when none of them was served by this process.
   */
  sharesOf(spans: Span[]): TimeShares | undefined {
    const sums = {
      total: 0,
      server: 0,
      outside: 0,
      phases: Object.fromEntries(PHASES.map(p => [p, 0])) as Record<
        Phase,
        number
      >,
    };
    let requests = 0;
    for (const [start, end] of spans) {
      const found = this.servedWithin(start, end);
      if (!found) {
        continue;
      }
      // The promotion's span ends when the executor is called, which can
      // come before the answer is sent.
      const served = { start: found.start, end: Math.min(found.end, end) };
      requests++;
      const servedMs = served.end - served.start;
      sums.total += end - start;
      sums.outside += Math.max(0, end - start - servedMs);
      let covered: Array<[number, number]> = [];
      let phasesMs = 0;
      for (const phase of PHASES) {
        const own = merge(
          this.during(served, phase).map((t): [number, number] => [
            Math.max(t.start, served.start),
            Math.min(t.end, served.end),
          ]),
        );
        const ms = lengthOf(own) - overlap(own, covered);
        sums.phases[phase] += ms;
        phasesMs += ms;
        covered = merge([...covered, ...own]);
      }
      sums.server += servedMs - phasesMs;
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
        PHASES.map(p => [p, mean(sums.phases[p])]),
      ) as Record<Phase, number>,
    };
  }

  /** The first request served that started within the client's span: the client's own, not a call it led to. */
  private servedWithin(start: number, end: number) {
    const index = firstFrom(this.served, start - SKEW_MS);
    const served = this.served[index];
    return served && served.start <= end && Number.isFinite(served.end)
      ? served
      : undefined;
  }

  private during(served: Timed, phase: Phase): PhaseTimed[] {
    const list = phase === 'database' ? this.statements : this.calls;
    const found: PhaseTimed[] = [];
    for (
      let i = firstFrom(list, served.start - LONGEST_MS);
      i < list.length && list[i].start < served.end;
      i++
    ) {
      const item = list[i];
      if (item.end > served.start && item.phase === phase) {
        found.push(item);
      }
    }
    return found;
  }

  private recordServedRequests() {
    const pending = new WeakMap<IncomingMessage, Timed>();
    diagnostics.subscribe('http.server.request.start', message => {
      const { request } = message as { request: IncomingMessage };
      const served = { start: now(), end: Infinity };
      this.served.push(served);
      pending.set(request, served);
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
    const pending = new WeakMap<ClientRequest, PhaseTimed>();
    diagnostics.subscribe('http.client.request.start', message => {
      const { request } = message as { request: ClientRequest };
      const call: PhaseTimed = {
        start: now(),
        end: Infinity,
        phase: phaseOfCall(request.path),
      };
      this.calls.push(call);
      pending.set(request, call);
    });
    // Listening to the answer's end, not to the request's `response` event,
    // leaves what happens to an answer nobody reads as it was.
    diagnostics.subscribe('http.client.response.finish', message => {
      const { request, response } = message as {
        request: ClientRequest;
        response: IncomingMessage;
      };
      const call = pending.get(request);
      if (call) {
        response.once('end', () => {
          call.end = now();
        });
      }
    });
  }

  private recordPostgresStatements() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Client } = require('pg');
    const query = Client.prototype.query;
    const statements = () => this.statements;
    Client.prototype.query = function timedQuery(...args: unknown[]) {
      const statement: PhaseTimed = {
        start: now(),
        end: Infinity,
        phase: 'database',
      };
      statements().push(statement);
      const done = () => {
        statement.end = now();
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
    const statements = () => this.statements;
    for (const method of ['run', 'get', 'all']) {
      const original = statement[method];
      statement[method] = function timedStatement(...args: unknown[]) {
        const timed: PhaseTimed = {
          start: now(),
          end: Infinity,
          phase: 'database',
        };
        statements().push(timed);
        try {
          return original.apply(this, args);
        } finally {
          timed.end = now();
        }
      };
    }
  }
}

function phaseOfCall(path: string | undefined): Phase {
  if (path?.startsWith('/api/permission/')) {
    return 'permission';
  }
  if (path?.startsWith('/api/catalog/')) {
    return 'catalog';
  }
  return 'other-calls';
}

/** The index of the first item that starts at or after `time` (the lists are in order of start). */
function firstFrom(list: Timed[], time: number) {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (list[middle].start < time) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

function merge(intervals: Array<[number, number]>) {
  const sorted = intervals
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
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

function lengthOf(intervals: Array<[number, number]>) {
  return intervals.reduce((sum, [start, end]) => sum + end - start, 0);
}

/** How long two merged lists of intervals overlap. */
function overlap(a: Array<[number, number]>, b: Array<[number, number]>) {
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
