// @ts-check
/* eslint-disable no-restricted-imports */
// The HTTP client of the benchmark. It runs in a worker thread, so the
// requests it sends do not compete with the server for the main event loop.
// It receives { baseUrl, headers, requests: [{method, path, body?}],
// concurrency, expectStatus } and answers, per request, the absolute start
// and end times (ms since the epoch, sub-millisecond), the status and the
// answer's body when `keepBodies` is set. With `session` it sends nothing
// up front: it answers each { id, request } message it is sent, one at a
// time, on one kept-alive connection, until it is terminated. With
// `batches` it answers each { id, batch } message, a batch being what the
// worker is otherwise given up front, on connections kept alive from one
// batch to the next (one pool per base URL and concurrency), and each
// { id, cycles } message: sequential GETs of several sides taken in turn
// request by request (see `cycles`).
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');

const now = () => performance.timeOrigin + performance.now();

/**
 * Sends one request and reads its whole answer.
 *
 * @param {http.Agent} agent
 * @param {URL} url
 * @param {Record<string, string>} headers
 * @param {{ method: string, path: string, body?: string }} request
 * @returns {Promise<{ start: number, end: number, status: number, text: string }>}
 */
function exchange(agent, url, headers, { method, path, body }) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    const start = now();
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname.replace(/\/$/, '') + path,
        headers: {
          ...headers,
          ...(payload
            ? {
                'content-type': 'application/json',
                'content-length': payload.length,
              }
            : {}),
        },
      },
      res => {
        const chunks = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            start,
            end: now(),
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', error => {
      // A kept-alive connection the server closed as this request went out
      // (its idle timeout): a GET is sent again, as browsers do; its span
      // keeps the first attempt's start.
      if (
        req.reusedSocket &&
        method === 'GET' &&
        /** @type {NodeJS.ErrnoException} */ (error).code === 'ECONNRESET'
      ) {
        exchange(agent, url, headers, { method, path, body }).then(
          answer => resolve({ ...answer, start }),
          reject,
        );
        return;
      }
      // Which request met a connection error (ECONNRESET, …), and after how long.
      reject(
        new Error(
          `${method} ${url.href.replace(/\/$/, '')}${path} after ${(
            now() - start
          ).toFixed(1)} ms: ${error.message}`,
          { cause: error },
        ),
      );
    });
    req.end(payload);
  });
}

/**
 * Sends a batch's requests, `concurrency` at a time, through `agent`.
 *
 * @param {http.Agent} agent
 */
async function run(
  agent,
  { baseUrl, headers, requests, concurrency, expectStatus, keepBodies },
) {
  const url = new URL(baseUrl);
  const starts = new Float64Array(requests.length);
  const ends = new Float64Array(requests.length);
  const bodies = keepBodies ? new Array(requests.length) : undefined;
  let next = 0;
  let failure;

  async function send(index) {
    const { method, path } = requests[index];
    const answer = await exchange(agent, url, headers, requests[index]);
    starts[index] = answer.start;
    ends[index] = answer.end;
    if (answer.status !== expectStatus) {
      throw new Error(
        `${method} ${path} answered ${
          answer.status
        } instead of ${expectStatus}: ${answer.text.slice(0, 500)}`,
      );
    }
    if (bodies) {
      bodies[index] = answer.text;
    }
  }

  async function client() {
    while (next < requests.length && !failure) {
      const index = next++;
      try {
        await send(index);
      } catch (error) {
        failure = failure ?? error;
      }
    }
  }

  await Promise.all(
    Array.from({ length: Math.min(concurrency, requests.length) }, client),
  );
  if (failure) {
    throw failure;
  }
  return { starts, ends, bodies };
}

function serveSession({ baseUrl, headers }) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  parentPort?.on('message', ({ id, request }) => {
    exchange(agent, url, headers, request).then(
      answer => parentPort?.postMessage({ id, answer }),
      error =>
        parentPort?.postMessage({ id, error: String(error?.stack ?? error) }),
    );
  });
}

/**
 * `count` cycles of one sequential GET per side: cycle i starts with side
 * i mod (number of sides), then takes the others in order, and asks each
 * side its paths in turn. A slow moment of the machine then falls on the
 * sides alike, where a turn of many requests per side would give it to
 * whichever side's turn it fell in. Before the first cycle, and again once
 * `rewarmMs` passed since, every path of every side is asked once,
 * unmeasured: the cycles measure what was remembered from a recent visit
 * (the plugin remembers catalog answers for 5 seconds). Answers each
 * side's spans.
 *
 * @param {(baseUrl: string) => http.Agent} agentOf
 * @param {{ sides: Array<{ baseUrl: string, headers: Record<string, string>, paths: string[] }>, count: number, expectStatus: number, rewarmMs: number }} cycles
 */
async function runCycles(agentOf, { sides, count, expectStatus, rewarmMs }) {
  const get = async ({ baseUrl, headers }, path) => {
    const answer = await exchange(agentOf(baseUrl), new URL(baseUrl), headers, {
      method: 'GET',
      path,
    });
    if (answer.status !== expectStatus) {
      throw new Error(
        `GET ${path} answered ${
          answer.status
        } instead of ${expectStatus}: ${answer.text.slice(0, 500)}`,
      );
    }
    return answer;
  };
  const spans = sides.map(() => ({
    starts: new Float64Array(count),
    ends: new Float64Array(count),
  }));
  let warmedAt = -Infinity;
  for (let i = 0; i < count; i++) {
    if (now() - warmedAt >= rewarmMs) {
      warmedAt = now();
      for (const side of sides) {
        for (const path of side.paths) {
          await get(side, path);
        }
      }
    }
    for (let k = 0; k < sides.length; k++) {
      const index = (i + k) % sides.length;
      const side = sides[index];
      const answer = await get(side, side.paths[i % side.paths.length]);
      spans[index].starts[i] = answer.start;
      spans[index].ends[i] = answer.end;
    }
  }
  return spans;
}

function serveBatches() {
  /** @type {Map<string, http.Agent>} */
  const agents = new Map();
  const agentOf = (baseUrl, concurrency) => {
    const key = `${baseUrl} ${concurrency}`;
    let agent = agents.get(key);
    if (!agent) {
      agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
      agents.set(key, agent);
    }
    return agent;
  };
  parentPort?.on('message', ({ id, batch, cycles }) => {
    const work = cycles
      ? runCycles(baseUrl => agentOf(baseUrl, 1), cycles)
      : run(agentOf(batch.baseUrl, batch.concurrency), batch);
    work.then(
      result => parentPort?.postMessage({ id, result }),
      error =>
        parentPort?.postMessage({ id, error: String(error?.stack ?? error) }),
    );
  });
}

if (workerData.session) {
  serveSession(workerData);
} else if (workerData.batches) {
  serveBatches();
} else {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: workerData.concurrency,
  });
  run(agent, workerData)
    .then(
      result => ({ result }),
      error => ({ error: String(error?.stack ?? error) }),
    )
    .then(message => {
      agent.destroy();
      parentPort?.postMessage(message);
    });
}
