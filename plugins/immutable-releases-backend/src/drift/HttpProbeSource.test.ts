import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import {
  ObservationFailure,
  ObservationReport,
  ObservationTarget,
} from 'backstage-plugin-immutable-releases-node';
import { digestOf, testEntity } from '../__testUtils__/testEngine';
import { HttpProbeDefinition } from './driftConfig';
import { HttpProbeSource } from './HttpProbeSource';
import { parseJsonPath } from './jsonPath';

/** A fleet whose answer per entity name the test sets; it counts requests in flight. */
function startFleet() {
  const answers = new Map<
    string,
    {
      status?: number;
      body?: unknown;
      headers?: Record<string, string>;
      hang?: boolean;
    }
  >();
  let inFlight = 0;
  let maxInFlight = 0;
  const releases: Array<() => void> = [];
  const server = http.createServer((req, res) => {
    const name = req.url!.split('/')[2];
    const answer = answers.get(name) ?? { status: 404, body: {} };
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const respond = () => {
      inFlight--;
      res.writeHead(answer.status ?? 200, {
        'content-type': 'application/json',
        ...answer.headers,
      });
      res.end(JSON.stringify(answer.body ?? {}));
    };
    if (answer.hang) {
      releases.push(() => {
        inFlight--;
        res.destroy();
      });
    } else {
      // Answer on the next tick so that concurrent requests overlap.
      setImmediate(respond);
    }
  });
  return new Promise<{
    url: string;
    answers: typeof answers;
    maxInFlight: () => number;
    stop: () => Promise<void>;
  }>(resolve =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        answers,
        maxInFlight: () => maxInFlight,
        stop: async () => {
          releases.forEach(release => release());
          await new Promise(done => server.close(done));
        },
      }),
    ),
  );
}

function definition(
  url: string,
  overrides: Partial<HttpProbeDefinition> = {},
): HttpProbeDefinition {
  return {
    id: 'http-probe:production',
    configKey: 'immutableReleases.drift.probes[0]',
    environment: 'production',
    pipeline: null,
    url: `${url}/{{ entity.metadata.namespace }}/{{ entity.metadata.name }}/{{ environment }}/version`,
    digestPath: {
      text: '$.image.digest',
      steps: parseJsonPath('$.image.digest'),
    },
    digestHeader: null,
    frequencyMs: 60_000,
    timeoutMs: 5_000,
    ...overrides,
  };
}

function target(name: string): ObservationTarget {
  return {
    entity: testEntity(name),
    entityRef: `component:default/${name}`,
    pipeline: 'default',
    environment: 'production',
    artifactUris: [],
  };
}

/** Runs the probe once over the targets; returns what reached the sink. */
async function run(
  probe: HttpProbeDefinition,
  targets: ObservationTarget[],
  concurrency = 5,
) {
  const reports: ObservationReport[] = [];
  const errors: ObservationFailure[] = [];
  const source = HttpProbeSource.create(probe, { concurrency });
  await source.poll!.observe({
    targets,
    sink: {
      report: async observations => {
        reports.push(...observations);
      },
      reportError: async failure => {
        errors.push(failure);
      },
    },
    signal: new AbortController().signal,
    logger: mockServices.logger.mock(),
  });
  return { reports, errors };
}

describe('HttpProbeSource', () => {
  let fleet: Awaited<ReturnType<typeof startFleet>>;
  beforeEach(async () => {
    fleet = await startFleet();
  });
  afterEach(() => fleet.stop());

  it('is a polled source of its environment, on its frequency', () => {
    const source = HttpProbeSource.create(
      definition(fleet.url, { pipeline: 'edge' }),
      { concurrency: 2 },
    );
    expect(source.id).toBe('http-probe:production');
    expect(source.poll).toMatchObject({
      schedule: { frequency: { milliseconds: 60_000 } },
      environments: ['production'],
      pipeline: 'edge',
    });
  });

  it('reads the digest at digestPath, or records why it could not, per target', async () => {
    fleet.answers.set('checkout', {
      body: { image: { digest: digestOf('1.0.0') } },
    });
    fleet.answers.set('down', { status: 503 });
    fleet.answers.set('tagged', { body: { image: { digest: 'latest' } } });
    fleet.answers.set('empty', { body: { image: {} } });
    const { reports, errors } = await run(definition(fleet.url), [
      target('checkout'),
      target('down'),
      target('tagged'),
      target('empty'),
    ]);
    expect(reports).toEqual([
      {
        entityRef: 'component:default/checkout',
        environment: 'production',
        digest: digestOf('1.0.0'),
      },
    ]);
    expect(errors.map(e => [e.entityRef, e.message])).toEqual(
      expect.arrayContaining([
        [
          'component:default/down',
          `GET ${fleet.url}/default/down/production/version answered 503`,
        ],
        [
          'component:default/tagged',
          `GET ${fleet.url}/default/tagged/production/version answered a $.image.digest that is not a sha256 or sha512 digest`,
        ],
        [
          'component:default/empty',
          `GET ${fleet.url}/default/empty/production/version answered no $.image.digest`,
        ],
      ]),
    );
    expect(errors).toHaveLength(3);
  });

  it('reads a digest header', async () => {
    fleet.answers.set('checkout', {
      headers: { 'x-running-digest': digestOf('2.0.0') },
    });
    const { reports } = await run(
      definition(fleet.url, {
        digestPath: null,
        digestHeader: 'x-running-digest',
      }),
      [target('checkout')],
    );
    expect(reports.map(r => r.digest)).toEqual([digestOf('2.0.0')]);
  });

  it('cuts a request off at its timeout and says so', async () => {
    fleet.answers.set('stuck', { hang: true });
    const { errors } = await run(definition(fleet.url, { timeoutMs: 200 }), [
      target('stuck'),
    ]);
    expect(errors).toEqual([
      {
        entityRef: 'component:default/stuck',
        environment: 'production',
        message: `GET ${fleet.url}/default/stuck/production/version timed out after 200 ms`,
      },
    ]);
  });

  it('records a connection failure and a template the entity cannot fill', async () => {
    const { errors } = await run(
      definition('http://127.0.0.1:1', {
        url: "http://127.0.0.1:1/{{ entity.metadata.annotations['fleet/host'] }}",
      }),
      [target('checkout')],
    );
    expect(errors[0].message).toBe(
      "entity component:default/checkout has no annotation 'fleet/host', which the URL template uses in {{ entity.metadata.annotations['fleet/host'] }}",
    );
    const closed = await startFleet();
    await closed.stop();
    const refused = await run(definition(closed.url), [target('checkout')]);
    expect(refused.errors[0].message).toBe(
      `GET ${closed.url}/default/checkout/production/version failed: ECONNREFUSED`,
    );
  });

  it('does not follow a redirect, and never repeats what an answer said', async () => {
    const elsewhere = await startFleet();
    try {
      elsewhere.answers.set('checkout', {
        body: { image: { digest: digestOf('internal') } },
      });
      fleet.answers.set('checkout', {
        status: 302,
        headers: { location: `${elsewhere.url}/default/checkout/x` },
      });
      fleet.answers.set('secretive', {
        body: { image: { digest: 'internal-admin-password-123' } },
      });

      const { reports, errors } = await run(definition(fleet.url), [
        target('checkout'),
        target('secretive'),
      ]);

      expect(reports).toEqual([]);
      expect(errors.map(e => e.message).sort()).toEqual([
        `GET ${fleet.url}/default/checkout/production/version answered 302 (redirects are not followed)`,
        `GET ${fleet.url}/default/secretive/production/version answered a $.image.digest that is not a sha256 or sha512 digest`,
      ]);
    } finally {
      await elsewhere.stop();
    }
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const targets = Array.from({ length: 12 }, (_, i) => {
      fleet.answers.set(`service-${i}`, {
        body: { image: { digest: digestOf(i) } },
      });
      return target(`service-${i}`);
    });
    const { reports } = await run(definition(fleet.url), targets, 3);
    expect(reports).toHaveLength(12);
    expect(fleet.maxInFlight()).toBeLessThanOrEqual(3);
    expect(fleet.maxInFlight()).toBeGreaterThan(1);
  });
});
