import { setupServer } from 'msw/node';
import { rest } from 'msw';
import { registerMswTestHooks } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { GatesRefusedError } from 'backstage-plugin-immutable-releases-common';
import { ImmutableReleasesClient } from './ImmutableReleasesClient';
import { gatesOfPromotionError } from './ImmutableReleasesApi';

const baseUrl = 'http://backstage.test/api/immutable-releases';
const entityRef = 'component:default/shop';
const entityPath = `${baseUrl}/v1/entities/component/default/shop`;

describe('ImmutableReleasesClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new ImmutableReleasesClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  it('asks for one page of releases with limit and cursor', async () => {
    let seen: URL | undefined;
    server.use(
      rest.get(`${entityPath}/releases`, (req, res, ctx) => {
        seen = req.url;
        return res(ctx.json({ items: [{ id: 'r1' }], nextCursor: 'c2' }));
      }),
    );
    const page = await client.listReleases(entityRef, {
      limit: 20,
      cursor: 'opaque/cursor=',
    });
    expect(page).toEqual({ items: [{ id: 'r1' }], nextCursor: 'c2' });
    expect(seen?.searchParams.get('limit')).toBe('20');
    expect(seen?.searchParams.get('cursor')).toBe('opaque/cursor=');
  });

  it('leaves out paging parameters that are not given', async () => {
    let seen: URL | undefined;
    server.use(
      rest.get(`${entityPath}/events`, (req, res, ctx) => {
        seen = req.url;
        return res(ctx.json({ items: [], nextCursor: null }));
      }),
    );
    await client.listEvents(entityRef);
    expect(seen?.search).toBe('');
  });

  it('filters audit events on the server, each type repeated', async () => {
    let seen: URL | undefined;
    server.use(
      rest.get(`${entityPath}/events`, (req, res, ctx) => {
        seen = req.url;
        return res(ctx.json({ items: [], nextCursor: null }));
      }),
    );
    await client.listEvents(entityRef, {
      environment: 'production',
      type: ['deployment.', 'approval.'],
      actor: 'user:default/alice',
      deploymentId: 'd1',
      releaseId: 'r1',
      limit: 25,
    });
    expect(seen?.searchParams.get('environment')).toBe('production');
    expect(seen?.searchParams.getAll('type')).toEqual([
      'deployment.',
      'approval.',
    ]);
    expect(seen?.searchParams.get('actor')).toBe('user:default/alice');
    expect(seen?.searchParams.get('deploymentId')).toBe('d1');
    expect(seen?.searchParams.get('releaseId')).toBe('r1');
    expect(seen?.searchParams.get('limit')).toBe('25');
  });

  it('filters deployments by environment', async () => {
    let seen: URL | undefined;
    server.use(
      rest.get(`${entityPath}/deployments`, (req, res, ctx) => {
        seen = req.url;
        return res(ctx.json({ items: [], nextCursor: null }));
      }),
    );
    await client.listDeployments(entityRef, {
      environment: 'production',
      limit: 100,
    });
    expect(seen?.searchParams.get('environment')).toBe('production');
    expect(seen?.searchParams.get('limit')).toBe('100');
  });

  it('asks for the fleet with each drift status repeated and the owner encoded', async () => {
    let seen: URL | undefined;
    server.use(
      rest.get(`${baseUrl}/v1/environments`, (req, res, ctx) => {
        seen = req.url;
        return res(ctx.json({ items: [], nextCursor: null }));
      }),
    );
    await client.listFleet(
      { drift: ['unmanaged', 'unknown'], owner: 'group:default/team-a' },
      { limit: 25 },
    );
    expect(seen?.searchParams.getAll('drift')).toEqual([
      'unmanaged',
      'unknown',
    ]);
    expect(seen?.search).toContain('owner=group%3Adefault%2Fteam-a');
    expect(seen?.searchParams.get('limit')).toBe('25');
  });

  it('asks for a page of what waits for approval', async () => {
    let seen: URL | undefined;
    server.use(
      rest.get(`${baseUrl}/v1/approvals`, (req, res, ctx) => {
        seen = req.url;
        return res(ctx.json({ items: [], nextCursor: 'c2' }));
      }),
    );
    await expect(
      client.listApprovals({ limit: 10, cursor: 'c1' }),
    ).resolves.toEqual({ items: [], nextCursor: 'c2' });
    expect(seen?.searchParams.get('limit')).toBe('10');
    expect(seen?.searchParams.get('cursor')).toBe('c1');
  });

  it('encodes the parts of the entity ref in the path', async () => {
    let path: string | undefined;
    server.use(
      rest.get(
        `${baseUrl}/v1/entities/:kind/:namespace/:name/environments`,
        (req, res, ctx) => {
          path = req.url.pathname;
          return res(ctx.json({ pipeline: 'default', environments: [] }));
        },
      ),
    );
    await client.getEnvironments('component:team a/odd name');
    expect(path).toBe(
      '/api/immutable-releases/v1/entities/component/team%20a/odd%20name/environments',
    );
  });

  it('asks for metrics of an environment over a number of days', async () => {
    let seen: URL | undefined;
    server.use(
      rest.get(`${entityPath}/metrics`, (req, res, ctx) => {
        seen = req.url;
        return res(
          ctx.json({
            environment: 'production',
            days: 60,
            deploymentFrequency: 1.5,
            leadTimeSeconds: { p50: 60, p90: 120 },
            changeFailureRate: 0.1,
            timeToRestoreSeconds: { p50: null },
          }),
        );
      }),
    );
    const metrics = await client.getMetrics(entityRef, {
      environment: 'production',
      days: 60,
    });
    expect(metrics.deploymentFrequency).toBe(1.5);
    expect(seen?.searchParams.get('environment')).toBe('production');
    expect(seen?.searchParams.get('days')).toBe('60');
  });

  it('sends a dry run with dryRun: true and returns the gates', async () => {
    let body: unknown;
    server.use(
      rest.post(`${baseUrl}/v1/promotions`, async (req, res, ctx) => {
        body = await req.json();
        return res(
          ctx.json({
            gates: [{ name: 'upstream', passed: true, message: 'ok' }],
          }),
        );
      }),
    );
    const result = await client.dryRunPromotion({
      entityRef,
      releaseId: 'r1',
      environment: 'staging',
    });
    expect(body).toEqual({
      entityRef,
      releaseId: 'r1',
      environment: 'staging',
      dryRun: true,
    });
    expect(result.gates).toEqual([
      { name: 'upstream', passed: true, message: 'ok' },
    ]);
  });

  it('sends a promotion with its reason and override', async () => {
    let body: unknown;
    let contentType: string | null = null;
    server.use(
      rest.post(`${baseUrl}/v1/promotions`, async (req, res, ctx) => {
        body = await req.json();
        contentType = req.headers.get('content-type');
        return res(ctx.status(202), ctx.json({ id: 'd1', status: 'pending' }));
      }),
    );
    const deployment = await client.promote({
      entityRef,
      releaseId: 'r1',
      environment: 'production',
      reason: 'hotfix',
      override: { reason: 'incident 42' },
    });
    expect(deployment).toEqual({ id: 'd1', status: 'pending' });
    expect(contentType).toBe('application/json');
    expect(body).toEqual({
      entityRef,
      releaseId: 'r1',
      environment: 'production',
      reason: 'hotfix',
      override: { reason: 'incident 42' },
    });
  });

  it('rejects a promotion refused by its gates with their results', async () => {
    const gates = [
      { name: 'not-revoked', passed: true, message: 'fine' },
      { name: 'soak-time', passed: false, message: 'passes in 10 minutes' },
    ];
    server.use(
      rest.post(`${baseUrl}/v1/promotions`, (_req, res, ctx) =>
        res(
          ctx.status(409),
          ctx.json({
            error: {
              name: 'ConflictError',
              message: 'gates failed: soak-time',
            },
            response: { statusCode: 409 },
            gates,
          }),
        ),
      ),
    );
    const error = await client
      .promote({ entityRef, releaseId: 'r1', environment: 'production' })
      .catch(e => e);
    expect(error).toBeInstanceOf(GatesRefusedError);
    expect(error.message).toBe(
      'refused by a gate: soak-time: passes in 10 minutes',
    );
    expect(error.response).toBeInstanceOf(ResponseError);
    expect(error.response.statusCode).toBe(409);
    expect(error.response.cause.message).toBe('gates failed: soak-time');
    expect(gatesOfPromotionError(error)).toEqual(gates);
  });

  it('has no gates for other errors', async () => {
    server.use(
      rest.post(`${baseUrl}/v1/rollbacks`, (_req, res, ctx) =>
        res(
          ctx.status(403),
          ctx.json({
            error: {
              name: 'NotAllowedError',
              message: 'immutable-releases.rollback.create is not allowed',
            },
            response: { statusCode: 403 },
          }),
        ),
      ),
    );
    const error = await client
      .rollback({ entityRef, environment: 'production', reason: 'bad' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
    expect(error.body.error.name).toBe('NotAllowedError');
    expect(gatesOfPromotionError(error)).toBeUndefined();
  });

  it('sends rollbacks, approvals, cancellations and revocations to their routes', async () => {
    const calls: Array<{ method: string; path: string; body: unknown }> = [];
    const record = async (req: any, res: any, ctx: any) => {
      const text = await req.text();
      calls.push({
        method: req.method,
        path: req.url.pathname.replace('/api/immutable-releases', ''),
        body: text ? JSON.parse(text) : undefined,
      });
      return res(ctx.json({ id: 'x' }));
    };
    server.use(
      rest.post(`${baseUrl}/v1/rollbacks`, record),
      rest.post(`${baseUrl}/v1/deployments/:id/approvals`, record),
      rest.post(`${baseUrl}/v1/deployments/:id/cancel`, record),
      rest.post(`${baseUrl}/v1/releases/:id/revoke`, record),
    );
    await client.rollback({
      entityRef,
      environment: 'production',
      releaseId: 'r0',
      reason: 'broken checkout',
    });
    await client.decideApproval('d1', { decision: 'reject', comment: 'no' });
    await client.cancelDeployment('d2');
    await client.revokeRelease('r9', 'CVE');
    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/v1/rollbacks',
        body: {
          entityRef,
          environment: 'production',
          releaseId: 'r0',
          reason: 'broken checkout',
        },
      },
      {
        method: 'POST',
        path: '/v1/deployments/d1/approvals',
        body: { decision: 'reject', comment: 'no' },
      },
      { method: 'POST', path: '/v1/deployments/d2/cancel', body: {} },
      {
        method: 'POST',
        path: '/v1/releases/r9/revoke',
        body: { reason: 'CVE' },
      },
    ]);
  });

  it('releases a hold with DELETE and accepts the empty 204', async () => {
    let method: string | undefined;
    server.use(
      rest.delete(
        `${entityPath}/environments/production/hold`,
        (req, res, ctx) => {
          method = req.method;
          return res(ctx.status(204));
        },
      ),
    );
    await expect(
      client.releaseHold(entityRef, 'production'),
    ).resolves.toBeUndefined();
    expect(method).toBe('DELETE');
  });

  it('turns a 404 into a ResponseError carrying the server message', async () => {
    server.use(
      rest.get(`${baseUrl}/v1/deployments/nope`, (_req, res, ctx) =>
        res(
          ctx.status(404),
          ctx.json({
            error: {
              name: 'NotFoundError',
              message: 'deployment nope does not exist',
            },
            response: { statusCode: 404 },
          }),
        ),
      ),
    );
    await expect(client.getDeployment('nope')).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 404,
      cause: expect.objectContaining({
        name: 'NotFoundError',
        message: 'deployment nope does not exist',
      }),
    });
  });
});
