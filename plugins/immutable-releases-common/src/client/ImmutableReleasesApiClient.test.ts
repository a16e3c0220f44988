import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ResponseError } from '@backstage/errors';
import { GateResult } from '../types';
import { GatesRefusedError } from './GatesRefusedError';
import { ImmutableReleasesApiClient } from './ImmutableReleasesApiClient';

/** One request the test server received. */
interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The query string as sent, with its encoding and repeated parameters. */
  search: string;
  authorization?: string;
  body?: unknown;
}

type Reply = { status: number; body?: unknown };

/** A backend stand-in on 127.0.0.1 that records requests and answers what a test says. */
function startServer() {
  const received: Received[] = [];
  let answer: (request: Received) => Reply = () => ({ status: 500 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      const request: Received = {
        method: req.method ?? '',
        path: url.pathname.replace(/^\/api\/immutable-releases/, ''),
        query: Object.fromEntries(url.searchParams),
        search: url.search,
        authorization: req.headers.authorization,
        body: text ? JSON.parse(text) : undefined,
      };
      received.push(request);
      const reply = answer(request);
      if (reply.body === undefined) {
        res.writeHead(reply.status).end();
      } else {
        res
          .writeHead(reply.status, { 'Content-Type': 'application/json' })
          .end(JSON.stringify(reply.body));
      }
    });
  });
  return {
    received,
    answer: (next: (request: Received) => Reply) => {
      answer = next;
    },
    listen: () =>
      new Promise<string>(resolve =>
        server.listen(0, '127.0.0.1', () => {
          const { port } = server.address() as AddressInfo;
          resolve(`http://127.0.0.1:${port}/api/immutable-releases`);
        }),
      ),
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}

function errorBody(name: string, message: string, statusCode: number) {
  return { error: { name, message }, response: { statusCode } };
}

const release = {
  id: 'r1',
  entityRef: 'component:default/shop',
  version: '1.0.0',
  artifact: {
    type: 'oci-image',
    uri: 'ghcr.io/acme/shop',
    digest: `sha256:${'a'.repeat(64)}`,
  },
  source: {},
  build: {},
  labels: {},
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'user:default/carol',
};

describe('ImmutableReleasesApiClient', () => {
  const server = startServer();
  let client: ImmutableReleasesApiClient;
  let baseUrl: string;
  const discovered: string[] = [];

  beforeAll(async () => {
    baseUrl = await server.listen();
    client = new ImmutableReleasesApiClient({
      discoveryApi: {
        getBaseUrl: async pluginId => {
          discovered.push(pluginId);
          return baseUrl;
        },
      },
    });
  });

  afterAll(() => server.close());

  beforeEach(() => {
    server.received.length = 0;
  });

  it('finds the backend by plugin id and sends the token it is given', async () => {
    server.answer(() => ({ status: 200, body: release }));
    await client.getRelease('r1', { token: 'service-token' });
    await client.getRelease('r/2');
    expect(discovered).toContain('immutable-releases');
    expect(server.received).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/v1/releases/r1',
        authorization: 'Bearer service-token',
      }),
      expect.objectContaining({
        path: '/v1/releases/r%2F2',
        authorization: undefined,
      }),
    ]);
  });

  it('records an attestation, telling a new record from a repeated bundle, and lists them', async () => {
    const attestation = {
      id: 'a1',
      predicateType: 'https://slsa.dev/provenance/v1',
      subjectDigests: [release.artifact.digest],
      recordedAt: '2026-01-01T00:00:00.000Z',
      recordedBy: 'external:ci',
    };
    const bundle = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    };
    server.answer(() => ({ status: 201, body: attestation }));
    expect(await client.recordAttestation('r1', bundle)).toEqual({
      attestation,
      created: true,
    });
    server.answer(() => ({ status: 200, body: attestation }));
    expect((await client.recordAttestation('r1', bundle)).created).toBe(false);
    server.answer(() => ({ status: 200, body: { items: [attestation] } }));
    expect(await client.listAttestations('r1')).toEqual([attestation]);
    expect(server.received.map(r => [r.method, r.path, r.body])).toEqual([
      ['POST', '/v1/releases/r1/attestations', { bundle }],
      ['POST', '/v1/releases/r1/attestations', { bundle }],
      ['GET', '/v1/releases/r1/attestations', undefined],
    ]);
  });

  it('asks for an entity in lower case, each part of its ref encoded, with the page asked for', async () => {
    server.answer(() => ({
      status: 200,
      body: { items: [], nextCursor: null },
    }));
    await client.listReleases('Component:Team A/Odd Name', {
      limit: 20,
      cursor: 'opaque/cursor=',
    });
    await client.listEvents('component:default/shop');
    expect(server.received).toEqual([
      expect.objectContaining({
        path: '/v1/entities/component/team%20a/odd%20name/releases',
        query: { limit: '20', cursor: 'opaque/cursor=' },
      }),
      expect.objectContaining({
        path: '/v1/entities/component/default/shop/events',
        query: {},
      }),
    ]);
  });

  it('tells a new release from one registered before by the status', async () => {
    server.answer(() => ({ status: 201, body: release }));
    const request = {
      entityRef: release.entityRef,
      version: release.version,
      artifact: {
        type: 'oci-image' as const,
        uri: release.artifact.uri,
        digest: release.artifact.digest,
      },
    };
    await expect(client.registerRelease(request)).resolves.toEqual({
      release,
      created: true,
    });
    server.answer(() => ({ status: 200, body: release }));
    await expect(client.registerRelease(request)).resolves.toEqual({
      release,
      created: false,
    });
    expect(server.received[0]).toMatchObject({
      method: 'POST',
      path: '/v1/releases',
      body: request,
    });
  });

  it('finds a release by its exact version with one request', async () => {
    server.answer(request =>
      request.query.version === '0.9.0'
        ? {
            status: 200,
            body: {
              items: [{ ...release, id: 'r0', version: '0.9.0' }],
              nextCursor: null,
            },
          }
        : { status: 200, body: { items: [], nextCursor: null } },
    );
    await expect(
      client.findReleaseByVersion('component:default/shop', '0.9.0'),
    ).resolves.toMatchObject({ id: 'r0' });
    await expect(
      client.findReleaseByVersion('component:default/shop', '7.0.0'),
    ).resolves.toBeUndefined();
    expect(server.received.map(request => request.query)).toEqual([
      { version: '0.9.0', limit: '1' },
      { version: '7.0.0', limit: '1' },
    ]);
  });

  it("asks for what waits for the caller's approval, a page at a time", async () => {
    server.answer(() => ({
      status: 200,
      body: { items: [], nextCursor: 'next/page=' },
    }));
    await expect(
      client.listApprovals({ limit: 10, cursor: 'opaque/cursor=' }),
    ).resolves.toEqual({ items: [], nextCursor: 'next/page=' });
    await client.listApprovals();
    expect(server.received).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: '/v1/approvals',
        query: { limit: '10', cursor: 'opaque/cursor=' },
      }),
      expect.objectContaining({ path: '/v1/approvals', search: '' }),
    ]);
  });

  it('sends each drift status of the fleet filter as a repeated parameter and the owner ref encoded', async () => {
    server.answer(() => ({
      status: 200,
      body: { items: [], nextCursor: null },
    }));
    await client.listFleet(
      {
        drift: ['unmanaged', 'drifted'],
        owner: 'group:default/payments team',
        pipeline: 'default',
      },
      { limit: 25, cursor: 'c/1' },
    );
    const [request] = server.received;
    expect(request.path).toBe('/v1/environments');
    expect(request.search).toBe(
      '?drift=unmanaged&drift=drifted&owner=group%3Adefault%2Fpayments%20team&pipeline=default&limit=25&cursor=c%2F1',
    );
  });

  it('leaves out fleet filters that are empty', async () => {
    server.answer(() => ({
      status: 200,
      body: { items: [], nextCursor: null },
    }));
    await client.listFleet({ drift: [], owner: '' });
    await client.listFleet();
    expect(server.received.map(request => request.search)).toEqual(['', '']);
  });

  it('sends the audit event filters, each type as a repeated parameter, and leaves out empty ones', async () => {
    server.answer(() => ({
      status: 200,
      body: { items: [], nextCursor: null },
    }));
    await client.listEvents('component:default/shop', {
      environment: 'production',
      type: ['deployment.', 'approval.approved'],
      actor: 'user:default/alice',
      deploymentId: 'd 1',
      releaseId: 'r1',
      limit: 25,
      cursor: 'c/1',
    });
    await client.listEvents('component:default/shop', {
      environment: '',
      type: [],
      actor: '',
    });
    expect(server.received.map(request => request.search)).toEqual([
      '?environment=production&type=deployment.&type=approval.approved&actor=user%3Adefault%2Falice&deploymentId=d%201&releaseId=r1&limit=25&cursor=c%2F1',
      '',
    ]);
  });

  it('sends a dry run with dryRun: true and answers the gates', async () => {
    const gates: GateResult[] = [
      { name: 'upstream', passed: true, message: 'succeeded in staging' },
    ];
    server.answer(() => ({ status: 200, body: { gates } }));
    await expect(
      client.dryRunPromotion({
        entityRef: 'component:default/shop',
        releaseId: 'r1',
        environment: 'production',
      }),
    ).resolves.toEqual({ gates });
    expect(server.received[0].body).toEqual({
      entityRef: 'component:default/shop',
      releaseId: 'r1',
      environment: 'production',
      dryRun: true,
    });
  });

  it('turns a 409 with gates into a GatesRefusedError naming each failing gate', async () => {
    const gates: GateResult[] = [
      { name: 'not-revoked', passed: true, message: 'not revoked' },
      {
        name: 'soak-time',
        passed: false,
        message: 'passes in 10 minutes',
        passesAt: '2026-01-01T00:10:00.000Z',
      },
      { name: 'required-checks', passed: false, message: 'lint failed' },
    ];
    server.answer(() => ({
      status: 409,
      body: {
        ...errorBody('ConflictError', 'gates failed: soak-time', 409),
        gates,
      },
    }));
    const error = await client
      .promote({
        entityRef: 'component:default/shop',
        releaseId: 'r1',
        environment: 'production',
      })
      .catch(e => e);
    expect(error).toBeInstanceOf(GatesRefusedError);
    expect(GatesRefusedError.is(error)).toBe(true);
    expect(error.gates).toEqual(gates);
    expect(error.message).toBe(
      'refused by gates: soak-time: passes in 10 minutes; required-checks: lint failed',
    );
    expect(error.response.statusCode).toBe(409);
    expect(error.cause).toBe(error.response);
    expect(error.response.cause.message).toBe('gates failed: soak-time');
  });

  it('leaves any other conflict a ResponseError', async () => {
    server.answer(() => ({
      status: 409,
      body: errorBody('ConflictError', 'no release to roll back to', 409),
    }));
    const error = await client
      .rollback({
        entityRef: 'component:default/shop',
        environment: 'production',
        reason: 'broken',
      })
      .catch(e => e);
    expect(ResponseError.is(error)).toBe(true);
    expect(GatesRefusedError.is(error)).toBe(false);
    expect(error.cause).toMatchObject({
      name: 'ConflictError',
      message: 'no release to roll back to',
    });
  });

  it('surfaces the message of a 400 on the ResponseError', async () => {
    server.answer(() => ({
      status: 400,
      body: errorBody(
        'InputError',
        "request/body must have required property 'reason'",
        400,
      ),
    }));
    await expect(client.revokeRelease('r1', '')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
      cause: expect.objectContaining({
        name: 'InputError',
        message: "request/body must have required property 'reason'",
      }),
    });
    expect(server.received[0]).toMatchObject({
      method: 'POST',
      path: '/v1/releases/r1/revoke',
      body: { reason: '' },
    });
  });

  it('releases a hold with DELETE and accepts the empty 204', async () => {
    server.answer(() => ({ status: 204 }));
    await expect(
      client.releaseHold('component:default/shop', 'production'),
    ).resolves.toBeUndefined();
    expect(server.received[0]).toMatchObject({
      method: 'DELETE',
      path: '/v1/entities/component/default/shop/environments/production/hold',
    });
  });

  it('fetches through the fetchApi it is given, as the frontend does', async () => {
    server.answer(() => ({ status: 200, body: release }));
    const fetched: string[] = [];
    const signedIn = new ImmutableReleasesApiClient({
      discoveryApi: { getBaseUrl: async () => baseUrl },
      fetchApi: {
        fetch: (input, init) => {
          fetched.push(String(input));
          return fetch(input, {
            ...init,
            headers: { ...init?.headers, Authorization: 'Bearer user-token' },
          });
        },
      },
    });
    await signedIn.getDeployment('d1');
    expect(fetched).toEqual([`${baseUrl}/v1/deployments/d1`]);
    expect(server.received[0].authorization).toBe('Bearer user-token');
  });
});
