import http from 'node:http';
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

/**
 * The baseline: a plain `node:http` server on 127.0.0.1 that does only the
 * database work of each path with knex on the same database, without
 * Backstage, auth, validation, audit or the engine.
 */
export interface BareServer {
  baseUrl: string;
  stop(): Promise<void>;
}

const now = () => performance.timeOrigin + performance.now();

async function readJson(req: http.IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

export async function startBareServer(
  knex: Knex,
  executorCalls: Map<string, number>,
): Promise<BareServer> {
  const routes: Record<
    string,
    (url: URL, req: http.IncomingMessage) => Promise<[number, unknown]>
  > = {
    // The insert of a release, as the store writes it.
    'POST /releases': async (_url, req) => {
      const body = await readJson(req);
      const row = {
        id: randomUUID(),
        entity_ref: body.entityRef,
        version: body.version,
        artifact_type: body.artifact.type,
        artifact_uri: body.artifact.uri,
        artifact_digest: body.artifact.digest,
        source: JSON.stringify(body.source ?? {}),
        build: JSON.stringify(body.build ?? {}),
        labels: JSON.stringify(body.labels ?? {}),
        created_at: new Date().toISOString(),
        created_by: 'bench-bare',
      };
      await knex('releases').insert(row);
      return [201, row];
    },
    // One page of an entity's releases by the (entity_ref, seq) index.
    'GET /releases': async url => [
      200,
      await knex('releases')
        .where({ entity_ref: url.searchParams.get('entity') })
        .orderBy('seq', 'desc')
        .limit(51),
    ],
    // The latest succeeded deployment of each environment: the one that
    // finished last, as the plugin decides it, by the same index.
    'GET /environments': async url => [
      200,
      await Promise.all(
        (url.searchParams.get('environments') ?? '')
          .split(',')
          .map(environment =>
            knex('deployments')
              .where({
                entity_ref: url.searchParams.get('entity'),
                environment,
                status: 'succeeded',
              })
              .orderBy([
                { column: 'updated_at', order: 'desc' },
                { column: 'seq', order: 'desc' },
              ])
              .first(),
          ),
      ),
    ],
    // One page of an entity's audit trail by the (entity_ref, seq) index.
    'GET /events': async url => [
      200,
      await knex('events')
        .where({ entity_ref: url.searchParams.get('entity') })
        .orderBy('seq', 'desc')
        .limit(51),
    ],
    // A page of the fleet: the next entities with releases, then each
    // environment's latest succeeded deployment, pending count, observed
    // digest and hold, for the whole page at once.
    'GET /fleet': async url => {
      const after = url.searchParams.get('after') ?? '';
      const refs: string[] = (
        await knex('releases')
          .distinct('entity_ref')
          .where('entity_ref', '>', after)
          .orderBy('entity_ref')
          .limit(50)
      ).map(row => row.entity_ref);
      const [succeeded, pending, drift, holds] = await Promise.all([
        knex('deployments as d')
          .join('releases as r', 'r.id', 'd.release_id')
          .select('d.entity_ref', 'd.environment', 'd.seq', 'r.version')
          .select('r.artifact_digest')
          .whereIn('d.entity_ref', refs)
          .where('d.status', 'succeeded')
          .orderBy('d.seq'),
        knex('deployments')
          .select('entity_ref', 'environment')
          .count({ count: '*' })
          .whereIn('entity_ref', refs)
          .where('status', 'pending')
          .groupBy('entity_ref', 'environment'),
        knex('drift_states').whereIn('entity_ref', refs),
        knex('environment_holds').whereIn('entity_ref', refs),
      ]);
      const byEnvironment = new Map<string, Record<string, unknown>>();
      const environmentOf = (row: any) => {
        const key = `${row.entity_ref}\n${row.environment}`;
        if (!byEnvironment.has(key)) {
          byEnvironment.set(key, { entityRef: row.entity_ref });
        }
        return byEnvironment.get(key)!;
      };
      succeeded.forEach(row => (environmentOf(row).current = row));
      pending.forEach(row => (environmentOf(row).pending = Number(row.count)));
      drift.forEach(row => (environmentOf(row).observed = row.observed_digest));
      holds.forEach(row => (environmentOf(row).held = true));
      return [
        200,
        { entities: refs, environments: [...byEnvironment.values()] },
      ];
    },
    // The first page of one person's approvals inbox: pending deployments of
    // the environment requiring approvals that they have not decided on,
    // newest first, without those they requested or whose release they made.
    'GET /approvals': async url => {
      const approver = url.searchParams.get('approver');
      const rows = await knex('deployments as d')
        .join('releases as r', 'r.id', 'd.release_id')
        .select('d.*', 'r.created_by as release_created_by')
        .where({
          'd.status': 'pending',
          'd.pipeline': 'default',
          'd.environment': 'production',
        })
        .whereNotExists(
          knex('deployment_approvals as a')
            .select(knex.raw('1'))
            .whereRaw('a.deployment_id = d.id')
            .where('a.approver', approver),
        )
        .orderBy('d.seq', 'desc')
        .limit(200);
      return [
        200,
        rows
          .filter(
            row =>
              row.requested_by !== approver &&
              row.release_created_by !== approver,
          )
          .slice(0, 50),
      ];
    },
    // A deployment row and its first transitions, then the executor.
    'POST /promotions': async (_url, req) => {
      const body = await readJson(req);
      const id = randomUUID();
      const at = new Date().toISOString();
      await knex.transaction(async tx => {
        await tx('deployments').insert({
          id,
          entity_ref: body.entityRef,
          pipeline: 'default',
          environment: body.environment,
          release_id: body.releaseId,
          kind: 'promotion',
          status: 'running',
          reason: null,
          requested_by: 'bench-bare',
          created_at: at,
          updated_at: at,
          gates: '[]',
        });
        await tx('deployment_transitions').insert(
          ['pending', 'running'].map(status => ({
            deployment_id: id,
            status,
            at,
            actor: 'bench-bare',
            message: status,
          })),
        );
      });
      executorCalls.set(id, now());
      // Leave the environment free for the next one, as a finished deployment does.
      await knex('deployments').where({ id }).update({ status: 'succeeded' });
      return [202, { id }];
    },
    // A batch of observations in one multi-row insert.
    'POST /observations': async (_url, req) => {
      const body = await readJson(req);
      const recordedAt = new Date().toISOString();
      const rows = body.observations.map((o: any) => ({
        entity_ref: o.entityRef,
        environment: o.environment,
        digest: o.digest,
        source: o.source ?? 'bench',
        observed_at: o.observedAt ?? recordedAt,
        recorded_at: recordedAt,
        recorded_by: 'bench-bare',
      }));
      await knex.batchInsert('observations', rows, 500);
      return [202, { accepted: rows.length }];
    },
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routes[`${req.method} ${url.pathname}`];
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    route(url, req).then(
      ([status, body]) => {
        const text = JSON.stringify(body);
        res.writeHead(status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      },
      error => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error?.stack ?? error));
      },
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close(error => (error ? reject(error) : resolve()));
      }),
  };
}
