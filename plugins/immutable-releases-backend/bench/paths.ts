/** Each measured path of `yarn bench`: what it sends, and the targets it checks. */
import { executorCalls } from './benchBackend';
import {
  combinedThroughput,
  latencyOf,
  LoadRequest,
  LoadRun,
  runLoad,
  spansOf,
  ClientSession,
  openClientSession,
  openLoadClient,
} from './loadClient';
import { fleetPaths } from './fleetPaths';
import {
  peerTarget,
  reportAgainstCatalogPage,
  reportAgainstPeer,
} from './peer';
import { auth, Context, readCatalogPeer, sequentialLatency } from './measure';
import { dataSizes, PATHS } from './options';
import { formatMeasure } from '@internal/test-utils';
import { measuredInRounds, reportLatency, sleep } from './report';
import { ENVIRONMENTS } from './historySeed';
import { ENTITY } from './seed';
import { Span, stalledWithin } from './stallMonitor';
import { TimeShares } from './timeShares';

function releaseBody(entityRef: string, version: string, serial: number) {
  return JSON.stringify({
    entityRef,
    version,
    artifact: {
      type: 'oci-image',
      uri: 'registry.example.com/acme/bench-register',
      digest: `sha256:${serial.toString(16).padStart(16, '0').repeat(4)}`,
    },
    source: {
      repository: 'https://github.com/acme/bench-register',
      commit: serial.toString(16).padStart(40, 'a'),
      branch: 'main',
    },
    build: {
      id: String(serial),
      url: `https://ci.example.com/builds/${serial}`,
    },
    labels: { team: 'bench' },
  });
}

/** Turns each side of the register and promotion paths takes. */
const ROUNDS = 5;

/** How long the promotion path leaves the backend alone after each request. */
const SETTLE_MS = 10;

/**
 * The bounds, as multiples of the catalog read's p95 measured in the
 * same rounds (see `catalogPeer`): a read of ours may cost half again the
 * cheapest read of the backend; a promotion, which writes and then starts
 * the executor, three times.
 */
const READ_PEER_BOUND = 1.5;
const PROMOTION_PEER_BOUND = 3;

export const paths: Record<
  (typeof PATHS)[number],
  (ctx: Context) => Promise<void>
> = {
  ...fleetPaths,

  async register(ctx) {
    const { registrations, concurrency, warmup } = ctx.options;
    const requests = (
      entityRef: string,
      prefix: string,
      n: number,
      path: string,
    ) =>
      Array.from(
        { length: n },
        (_, i): LoadRequest => ({
          method: 'POST',
          path,
          body: releaseBody(entityRef, `${prefix}.${i}`, i),
        }),
      );
    const bareSide = {
      baseUrl: ctx.bareUrl,
      path: '/releases',
      entityRef: ENTITY.bare,
      headers: {},
    };
    const pluginSide = {
      baseUrl: ctx.pluginUrl,
      path: '/v1/releases',
      entityRef: ENTITY.register,
      headers: auth,
    };
    const run = (side: typeof bareSide, prefix: string, n: number) =>
      runLoad({
        baseUrl: side.baseUrl,
        headers: side.headers,
        requests: requests(side.entityRef, prefix, n, side.path),
        concurrency,
        expectStatus: 201,
      });
    // The catalog's read at the same concurrency: how many requests a second
    // any route of this backend can answer, whatever it does.
    const runPeer = (n: number) => readCatalogPeer(ctx, n, concurrency);
    const warmupRequests = Math.max(warmup, concurrency * 4);
    await run(bareSide, '0.0', warmupRequests);
    await run(pluginSide, '0.0', warmupRequests);
    await runPeer(warmupRequests);
    // The sides take turns, so a slow spell of the machine (the catalog's
    // processing, a checkpoint) weighs on each alike.
    const bareRuns: LoadRun[] = [];
    const pluginRuns: LoadRun[] = [];
    const peerRuns: LoadRun[] = [];
    const perRound = Math.ceil(registrations / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      bareRuns.push(await run(bareSide, `1.${round}`, perRound));
      pluginRuns.push(await run(pluginSide, `1.${round}`, perRound));
      peerRuns.push(await runPeer(perRound));
    }
    const stalls = await ctx.stalls.stalls();
    const bare = combinedThroughput(bareRuns);
    const plugin = combinedThroughput(pluginRuns);
    const peerThroughput = combinedThroughput(peerRuns);
    const pluginLatency = latencyOf(
      pluginRuns.flatMap(pluginRun => spansOf(pluginRun)),
    );
    const ratio = plugin / bare;
    ctx.report.metric('register.throughput', plugin, 'releases/s', ratio);
    const pluginUnstalled = combinedThroughput(pluginRuns, stalls);
    ctx.report.metric(
      'register.throughput.unstalled',
      pluginUnstalled,
      'releases/s',
      pluginUnstalled / combinedThroughput(bareRuns, stalls),
    );
    ctx.report.metric('register.p50', pluginLatency.p50, 'ms');
    ctx.report.metric('register.p95', pluginLatency.p95, 'ms');
    ctx.report.metric('register.bare.throughput', bare, 'releases/s', 1);
    ctx.report.metric('register.peer.throughput', peerThroughput, 'requests/s');
    ctx.report.target('register.ratio', ratio, '>=0.5', ratio >= 0.5);
    ctx.report.latencies('register', {
      ours: pluginLatency,
      bare: latencyOf(bareRuns.flatMap(bareRun => spansOf(bareRun))),
    });
    if (ctx.database.kind === 'postgres') {
      ctx.report.informational(
        'register.throughput',
        plugin,
        '>=1000/s',
        plugin >= 1000,
      );
    }
  },

  async history(ctx) {
    const [large, small] = await sequentialLatency(
      ctx,
      [
        {
          pluginPath:
            '/v1/entities/component/default/bench-large/releases?limit=50',
          barePath: `/releases?entity=${encodeURIComponent(ENTITY.large)}`,
        },
        {
          pluginPath:
            '/v1/entities/component/default/bench-small/releases?limit=50',
          barePath: `/releases?entity=${encodeURIComponent(ENTITY.small)}`,
        },
      ],
      { catalogPage: true },
    );
    const r = ctx.report;
    reportLatency(r, 'history.large', large.plugin, large.bare, large.peer);
    reportLatency(r, 'history.small', small.plugin, small.bare);
    r.metric('history.bare.large.p95', large.bare.all.p95, 'ms', 1);
    r.metric('history.bare.small.p95', small.bare.all.p95, 'ms', 1);
    peerTarget(r, 'history.large', large.plugin, large.peer, READ_PEER_BOUND);
    reportAgainstCatalogPage(
      r,
      'history.large',
      large.plugin,
      large.page!,
      READ_PEER_BOUND,
    );
    r.informational(
      'history.large.p95',
      large.plugin.all.p95,
      '<=10ms',
      large.plugin.all.p95 <= 10,
    );
    const growth = large.plugin.all.p95 / small.plugin.all.p95;
    r.metric('history.growth', growth, 'x');
    r.target('history.growth', growth, '<=1.5x', growth <= 1.5);
  },

  async environments(ctx) {
    const [{ plugin, bare, peer }] = await sequentialLatency(ctx, [
      {
        pluginPath: '/v1/entities/component/default/bench-large/environments',
        barePath: `/environments?entity=${encodeURIComponent(
          ENTITY.large,
        )}&environments=${ENVIRONMENTS.join(',')}`,
      },
    ]);
    reportAgainstPeer(
      ctx.report,
      'environments',
      { plugin, bare, peer },
      { peer: READ_PEER_BOUND, absoluteMs: 10 },
    );
  },

  async events(ctx) {
    const [{ plugin, bare, peer, page }] = await sequentialLatency(
      ctx,
      [
        {
          pluginPath:
            '/v1/entities/component/default/bench-large/events?limit=50',
          barePath: `/events?entity=${encodeURIComponent(ENTITY.large)}`,
        },
      ],
      { catalogPage: true },
    );
    reportAgainstPeer(
      ctx.report,
      'events',
      { plugin, bare, peer },
      { peer: READ_PEER_BOUND, absoluteMs: 10 },
    );
    reportAgainstCatalogPage(
      ctx.report,
      'events',
      plugin,
      page!,
      READ_PEER_BOUND,
    );
  },

  async promotion(ctx) {
    const { warmup, samples } = ctx.options;
    const ids = ctx.seeded.largeReleaseIds;
    const perRound = Math.ceil(samples / ROUNDS);
    const waitFor = async (
      check: () => boolean | Promise<boolean>,
      what: string,
    ) => {
      const deadline = Date.now() + 30_000;
      while (!(await check())) {
        if (Date.now() > deadline) {
          throw new Error(`timed out waiting for ${what}`);
        }
        await sleep(1);
      }
    };
    // One promotion at a time: request, executor called, deployment
    // finished. Each side promotes each release once, newest first, from
    // the load client's worker, as the peer is read: a client in the
    // server's own thread would add its work to the measured span.
    const promoter = (client: ClientSession, entityRef: string) => {
      let promoted = 0;
      return async (n: number) => {
        const spans: Span[] = [];
        for (let i = 0; i < n && promoted < ids.length; i++) {
          const releaseId = ids[ids.length - 1 - promoted++];
          const { start, status, text } = await client.send({
            method: 'POST',
            path: '/promotions',
            body: JSON.stringify({
              entityRef,
              releaseId,
              environment: 'development',
            }),
          });
          if (status !== 202) {
            throw new Error(`promotion answered ${status}: ${text}`);
          }
          const { id } = JSON.parse(text);
          await waitFor(() => executorCalls.has(id), `the executor of ${id}`);
          await waitFor(async () => {
            const row = await ctx
              .knex('deployments')
              .select('status')
              .where({ id })
              .first();
            return ['succeeded', 'failed'].includes(row?.status);
          }, `deployment ${id} to finish`);
          spans.push([start, executorCalls.get(id)!]);
        }
        return spans;
      };
    };
    const bareClient = openClientSession({ baseUrl: ctx.bareUrl });
    const pluginClient = openClientSession({
      baseUrl: `${ctx.pluginUrl}/v1`,
      headers: auth,
    });
    const peerClient = openLoadClient();
    const peerReads = async (n: number) =>
      spansOf(await readCatalogPeer(ctx, n, 1, peerClient));
    const sides = [
      promoter(bareClient, ENTITY.bare),
      promoter(pluginClient, ENTITY.large),
      peerReads,
    ];
    // The sides take turns request by request, as the read paths do, each
    // from a worker kept for the path. After each request the backend is
    // left alone for a moment: a deployment's work after it finished
    // (starting the next, its listeners, the audit) is no part of the next
    // request, whichever side's it is.
    const spans = sides.map(() => [] as Span[][]);
    const shares: Array<TimeShares | undefined> = [];
    try {
      for (const side of sides) {
        await side(warmup);
      }
      for (let round = 0; round < ROUNDS; round++) {
        const inRound = sides.map(() => [] as Span[]);
        for (let i = 0; i < perRound; i++) {
          for (let k = 0; k < sides.length; k++) {
            const index = (i + k) % sides.length;
            inRound[index].push(...(await sides[index](1)));
            await sleep(SETTLE_MS);
          }
        }
        inRound.forEach((own, index) => spans[index].push(own));
      }
      // Where the time goes, in one more round of its own.
      for (const [index, side] of sides.entries()) {
        shares[index] = await ctx.timeShares.trace(() => side(perRound));
      }
    } finally {
      await bareClient.close();
      await pluginClient.close();
      await peerClient.close();
    }
    const stalls = await ctx.stalls.stalls();
    const [bare, plugin, peer] = spans.map((s, index) =>
      measuredInRounds(s, stalls, shares[index]),
    );
    reportAgainstPeer(
      ctx.report,
      'promotion',
      { plugin, bare, peer },
      { peer: PROMOTION_PEER_BOUND, absoluteMs: 50 },
    );
  },

  async observations(ctx) {
    const total = dataSizes(ctx.options.scale).observations;
    const limitSeconds = (2 * total) / 10_000;
    const probe = await fetch(`${ctx.pluginUrl}/v1/observations`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        observations: [
          {
            entityRef: ENTITY.large,
            environment: 'development',
            digest: `sha256:${'0'.repeat(64)}`,
          },
        ],
      }),
    });
    await probe.text();
    if (probe.status === 404) {
      ctx.report.notMeasurable(
        'observations.seconds',
        'POST /v1/observations does not exist in this build of the plugin',
      );
      return;
    }
    // Batches of 1000 (the API's maximum) for the large entity's environments,
    // digests of its releases, sent by `concurrency` clients.
    const ids = ctx.seeded.largeReleaseIds;
    const digests = await ctx
      .knex('releases')
      .select('artifact_digest')
      .whereIn('id', ids.slice(-50));
    const batches = (entityRef: string, path: string): LoadRequest[] =>
      Array.from({ length: Math.ceil(total / 1000) }, (_, b) => ({
        method: 'POST',
        path,
        body: JSON.stringify({
          observations: Array.from(
            { length: Math.min(1000, total - b * 1000) },
            (__, i) => ({
              entityRef,
              environment: ENVIRONMENTS[i % ENVIRONMENTS.length],
              digest: digests[(b * 1000 + i) % digests.length].artifact_digest,
              source: 'bench-probe',
              observedAt: new Date(
                Date.UTC(2026, 0, 1) + b * 1000 + i,
              ).toISOString(),
            }),
          ),
        }),
      }));
    const measure = async (
      baseUrl: string,
      path: string,
      entityRef: string,
      headers = {},
    ) => {
      await runLoad({
        baseUrl,
        headers,
        requests: batches(entityRef, path).slice(0, 2),
        concurrency: 1,
        expectStatus: 202,
      });
      const run = await runLoad({
        baseUrl,
        headers,
        requests: batches(entityRef, path),
        concurrency: Math.min(ctx.options.concurrency, 4),
        expectStatus: 202,
      });
      const start = Math.min(...run.starts);
      const end = Math.max(...run.ends);
      const stalled = stalledWithin(await ctx.stalls.stalls(), start, end);
      return {
        seconds: (end - start) / 1000,
        unstalled: (end - start - stalled) / 1000,
      };
    };
    const bare = await measure(ctx.bareUrl, '/observations', ENTITY.bare);
    const plugin = await measure(
      ctx.pluginUrl,
      '/v1/observations',
      ENTITY.large,
      auth,
    );
    const r = ctx.report;
    const ratio = bare.seconds / plugin.seconds;
    r.metric('observations.seconds', plugin.seconds, `s/${total}`, ratio);
    r.metric(
      'observations.seconds.unstalled',
      plugin.unstalled,
      `s/${total}`,
      bare.unstalled / plugin.unstalled,
    );
    r.metric(
      'observations.throughput',
      total / plugin.seconds,
      'observations/s',
      ratio,
    );
    r.metric('observations.bare.seconds', bare.seconds, `s/${total}`, 1);
    r.target(
      'observations.seconds',
      plugin.seconds,
      `<=${formatMeasure(limitSeconds)}s`,
      plugin.seconds <= limitSeconds,
    );
  },
};
