// @ts-check
/* eslint-disable no-restricted-imports */
// The HTTP client of the benchmark. It runs in a worker thread, so the
// requests it sends do not compete with the server for the main event loop.
// It receives { baseUrl, headers, requests: [{method, path, body?}],
// concurrency, expectStatus } and answers, per request, the absolute start
// and end times (ms since the epoch, sub-millisecond), the status and the
// answer's body when `keepBodies` is set.
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');

const now = () => performance.timeOrigin + performance.now();

async function run({
  baseUrl,
  headers,
  requests,
  concurrency,
  expectStatus,
  keepBodies,
}) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const starts = new Float64Array(requests.length);
  const ends = new Float64Array(requests.length);
  const bodies = keepBodies ? new Array(requests.length) : undefined;
  let next = 0;
  let failure;

  function send(index) {
    const { method, path, body } = requests[index];
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(body);
      starts[index] = now();
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
          res.on('end', () => {
            ends[index] = now();
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== expectStatus) {
              reject(
                new Error(
                  `${method} ${path} answered ${
                    res.statusCode
                  } instead of ${expectStatus}: ${text.slice(0, 500)}`,
                ),
              );
              return;
            }
            if (bodies) {
              bodies[index] = text;
            }
            resolve(undefined);
          });
          res.on('error', reject);
        },
      );
      // Which request met a connection error (ECONNRESET, …), and after how long.
      req.on('error', error =>
        reject(
          new Error(
            `${method} ${baseUrl.replace(/\/$/, '')}${path} after ${(
              now() - starts[index]
            ).toFixed(1)} ms: ${error.message}`,
            { cause: error },
          ),
        ),
      );
      req.end(payload);
    });
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
  agent.destroy();
  if (failure) {
    throw failure;
  }
  return { starts, ends, bodies };
}

run(workerData).then(
  result => parentPort?.postMessage({ result }),
  error => parentPort?.postMessage({ error: String(error?.stack ?? error) }),
);
