import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { mockServices } from '@backstage/backend-test-utils';
import express from 'express';
import request from 'supertest';
import { spec } from '../schema/openapi.generated';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
// The validator checks that a bearer token is present; Backstage's auth checks it is valid.
const AUTH = { Authorization: 'Bearer token' };

const validRelease = {
  entityRef: 'component:default/shop',
  version: '1.4.2',
  artifact: { type: 'oci-image', uri: 'ghcr.io/acme/shop', digest: DIGEST },
  source: {
    repository: 'https://github.com/acme/shop',
    commit: 'a1b2c3d',
    committedAt: '2024-05-01T12:00:00Z',
  },
  checks: [{ name: 'unit-tests', status: 'passed' }],
  labels: { team: 'checkout' },
};

/** An app with the validated router, stub handlers and Backstage's error middleware. */
function createApp() {
  const seen = {
    releaseBodies: [] as unknown[],
    listQueries: [] as unknown[],
  };
  const router = createValidatedOpenApiRouter<typeof spec>(spec);
  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.post('/v1/releases', (req, res) => {
    seen.releaseBodies.push(req.body);
    res.status(201).json({
      id: 'release-1',
      entityRef: req.body.entityRef,
      version: req.body.version,
      artifact: req.body.artifact,
      source: req.body.source ?? {},
      build: req.body.build ?? {},
      labels: req.body.labels ?? {},
      createdAt: '2024-05-01T12:00:00.000Z',
      createdBy: 'user:default/ci',
    });
  });
  router.get('/v1/entities/:kind/:namespace/:name/releases', (req, res) => {
    seen.listQueries.push(req.query);
    res.json({ items: [], nextCursor: null });
  });
  router.post('/v1/observations', (req, res) => {
    res.status(202).json({ accepted: req.body.observations.length });
  });

  const app = express();
  app.use(router);
  app.use(
    MiddlewareFactory.create({
      config: mockServices.rootConfig(),
      logger: mockServices.logger.mock(),
    }).error(),
  );
  return { app, seen };
}

describe('openapi spec', () => {
  describe('request validation', () => {
    it('lets a valid release registration reach the handler', async () => {
      const { app, seen } = createApp();
      const response = await request(app)
        .post('/v1/releases')
        .set(AUTH)
        .send(validRelease);
      expect(response.status).toBe(201);
      expect(seen.releaseBodies).toEqual([validRelease]);
    });

    it.each([
      [
        'a missing entityRef',
        { ...validRelease, entityRef: undefined },
        /entityRef/,
      ],
      [
        'a digest that is a tag',
        {
          ...validRelease,
          artifact: { ...validRelease.artifact, digest: 'latest' },
        },
        /artifact\/digest/,
      ],
      [
        'an upper-case digest',
        {
          ...validRelease,
          artifact: { ...validRelease.artifact, digest: DIGEST.toUpperCase() },
        },
        /artifact\/digest/,
      ],
      [
        'a short sha512 digest',
        {
          ...validRelease,
          artifact: {
            ...validRelease.artifact,
            digest: `sha512:${'a'.repeat(64)}`,
          },
        },
        /artifact\/digest/,
      ],
      [
        'an unknown artifact type',
        {
          ...validRelease,
          artifact: { ...validRelease.artifact, type: 'docker' },
        },
        /artifact\/type.*oci-image/,
      ],
      ['an empty version', { ...validRelease, version: '' }, /version/],
      ['a numeric version', { ...validRelease, version: 1 }, /version/],
      [
        'an unknown check status',
        { ...validRelease, checks: [{ name: 'lint', status: 'ok' }] },
        /checks\/0\/status/,
      ],
      [
        'a label that is not a string',
        { ...validRelease, labels: { replicas: 3 } },
        /labels\/replicas/,
      ],
      [
        'a commit time that is not a date-time',
        { ...validRelease, source: { committedAt: 'yesterday' } },
        /source\/committedAt/,
      ],
      [
        'a build url that is not http(s)',
        { ...validRelease, build: { url: 'ftp://builds.example.com/1' } },
        /build\/url/,
      ],
      [
        'an unknown field',
        { ...validRelease, tag: 'latest' },
        /additional properties/,
      ],
    ])('answers 400 InputError for %s', async (_, body, message) => {
      const { app, seen } = createApp();
      const response = await request(app)
        .post('/v1/releases')
        .set(AUTH)
        .send(body);
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
      expect(response.body.error.message).toMatch(message);
      expect(response.body.response).toEqual({ statusCode: 400 });
      expect(seen.releaseBodies).toEqual([]);
    });

    it('answers 400 for malformed JSON', async () => {
      const { app } = createApp();
      const response = await request(app)
        .post('/v1/releases')
        .set(AUTH)
        .set('Content-Type', 'application/json')
        .send('{"entityRef":');
      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
    });

    it('names the observation at fault', async () => {
      const { app } = createApp();
      const observation = {
        entityRef: 'component:default/shop',
        environment: 'production',
        digest: DIGEST,
      };
      const response = await request(app)
        .post('/v1/observations')
        .set(AUTH)
        .send({ observations: [observation, { ...observation, digest: 'x' }] });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/observations\/1\/digest/);

      const empty = await request(app)
        .post('/v1/observations')
        .set(AUTH)
        .send({ observations: [] });
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toMatch(/observations/);
    });

    it('coerces and bounds paging parameters', async () => {
      const { app, seen } = createApp();
      const path = '/v1/entities/component/default/shop/releases';

      await request(app).get(path).set(AUTH).expect(200);
      await request(app)
        .get(`${path}?limit=10&cursor=abc`)
        .set(AUTH)
        .expect(200);
      expect(seen.listQueries).toEqual([
        { limit: 50 },
        { limit: 10, cursor: 'abc' },
      ]);

      for (const query of ['limit=0', 'limit=201', 'limit=ten', 'limit=1.5']) {
        const response = await request(app).get(`${path}?${query}`).set(AUTH);
        expect(response.status).toBe(400);
        expect(response.body.error.message).toMatch(/limit/);
      }
      const unknown = await request(app).get(`${path}?offset=5`).set(AUTH);
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(/offset/);
    });

    it('lets /health through without credentials', async () => {
      const { app } = createApp();
      const response = await request(app).get('/health');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it('serves the spec at /openapi.json', async () => {
      const { app } = createApp();
      const response = await request(app).get('/openapi.json');
      expect(response.status).toBe(200);
      expect(Object.keys(response.body.paths)).toEqual(Object.keys(spec.paths));
    });
  });

  describe('contract', () => {
    const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path}`,
        operation: operation as {
          operationId: string;
          description: string;
          security?: readonly unknown[];
          responses: Record<string, unknown>;
        },
      })),
    );

    it('documents the routes of the REST API with their success statuses', () => {
      const successStatuses = Object.fromEntries(
        operations.map(({ route, operation }) => [
          route,
          Object.keys(operation.responses)
            .filter(status => status.startsWith('2'))
            .sort(),
        ]),
      );
      expect(successStatuses).toEqual({
        'GET /health': ['200'],
        'POST /v1/releases': ['200', '201'],
        'GET /v1/releases/{releaseId}': ['200'],
        'POST /v1/releases/{releaseId}/checks': ['201'],
        'POST /v1/releases/{releaseId}/attestations': ['200', '201'],
        'GET /v1/releases/{releaseId}/attestations': ['200'],
        'POST /v1/releases/{releaseId}/revoke': ['200'],
        'GET /v1/entities/{kind}/{namespace}/{name}/releases': ['200'],
        'GET /v1/entities/{kind}/{namespace}/{name}/environments': ['200'],
        'DELETE /v1/entities/{kind}/{namespace}/{name}/environments/{environment}/hold':
          ['204'],
        'POST /v1/promotions': ['200', '202'],
        'POST /v1/rollbacks': ['202'],
        'GET /v1/deployments/{deploymentId}': ['200'],
        'GET /v1/entities/{kind}/{namespace}/{name}/deployments': ['200'],
        'POST /v1/deployments/{deploymentId}/approvals': ['201'],
        'POST /v1/deployments/{deploymentId}/cancel': ['200'],
        'POST /v1/deployments/{deploymentId}/status': ['200'],
        'POST /v1/observations': ['202'],
        'GET /v1/entities/{kind}/{namespace}/{name}/events': ['200'],
        'GET /v1/entities/{kind}/{namespace}/{name}/events/verify': ['200'],
        'GET /v1/entities/{kind}/{namespace}/{name}/metrics': ['200'],
        'GET /v1/environments': ['200'],
        'GET /v1/approvals': ['200'],
      });
    });

    it('gives every operation a unique operationId and a description', () => {
      const ids = operations.map(({ operation }) => operation.operationId);
      expect(new Set(ids).size).toBe(operations.length);
      for (const { route, operation } of operations) {
        expect([route, operation.description]).toEqual([
          route,
          expect.stringMatching(/\S/),
        ]);
      }
    });

    it('requires credentials everywhere but /health', () => {
      expect(spec.security).toEqual([{ JWT: [] }]);
      const ownSecurity = operations
        .filter(({ operation }) => operation.security !== undefined)
        .map(({ route, operation }) => [route, operation.security]);
      expect(ownSecurity).toEqual([['GET /health', []]]);

      // The approvals inbox asks no permission of its own: it leaves out
      // what the caller may not approve instead of refusing.
      const refusesNothing = ['GET /health', 'GET /v1/approvals'];
      const withoutErrorAnswers = operations
        .filter(({ route }) => route !== 'GET /health')
        .filter(({ route, operation }) =>
          (refusesNothing.includes(route)
            ? ['400', '401']
            : ['400', '401', '403']
          ).some(status => !(status in operation.responses)),
        )
        .map(({ route }) => route);
      expect(withoutErrorAnswers).toEqual([]);
    });
  });
});
