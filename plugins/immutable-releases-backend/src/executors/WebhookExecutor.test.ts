import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { DeploymentPayload } from 'backstage-plugin-immutable-releases-node';
import { WebhookExecutor } from './WebhookExecutor';

const SECRET = 's3cret';

const payload: DeploymentPayload = {
  deploymentId: 'dep-1',
  kind: 'rollback',
  entityRef: 'component:default/shop',
  environment: 'production',
  artifactRef: `ghcr.io/acme/shop@sha256:${'b'.repeat(64)}`,
  release: {
    id: 'rel-1',
    version: '1.2.3',
    artifact: {
      type: 'oci-image',
      uri: 'ghcr.io/acme/shop',
      digest: `sha256:${'b'.repeat(64)}`,
    },
    source: {},
    build: {},
    labels: { note: 'héllo ✓' },
  },
};

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
};

interface ReceivedRequest {
  method?: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

interface Answer {
  status: number;
  body?: JsonObject | string;
}

/**
 * A real HTTP server on 127.0.0.1 that answers with the queued answers in
 * order (then with the last one) and records every request.
 */
class FakeWebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private answers: Array<Answer | 'hang'> = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      this.requests.push({
        method: req.method,
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const answer =
        this.answers.length > 1 ? this.answers.shift()! : this.answers[0];
      if (answer === 'hang') {
        return;
      }
      const body =
        typeof answer.body === 'string'
          ? answer.body
          : JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(body);
    });
  });

  async start(): Promise<string> {
    await new Promise<void>(resolve =>
      this.server.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/hooks/deploy`;
  }

  answerWith(...answers: Array<Answer | 'hang'>) {
    this.answers = answers;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }
}

function hasValidSignature(request: ReceivedRequest): boolean {
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', SECRET).update(request.body).digest('hex')}`,
  );
  const actual = Buffer.from(
    String(request.headers['x-immutable-releases-signature']),
  );
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const CALLBACK_TOKEN = 'callback-token-of-dep-1';

describe('WebhookExecutor', () => {
  let receiver: FakeWebhookReceiver;
  let url: string;

  beforeEach(async () => {
    receiver = new FakeWebhookReceiver();
    url = await receiver.start();
  });

  afterEach(async () => {
    await receiver.stop();
  });

  function createExecutor(config: JsonObject = {}) {
    return WebhookExecutor.create({
      name: 'cd-webhook',
      config: new ConfigReader({ url, secret: SECRET, ...config }),
      backoffMs: 1,
    });
  }

  function deploy(
    executor: WebhookExecutor,
    signal: AbortSignal = new AbortController().signal,
  ) {
    return executor.deploy({
      payload,
      entity,
      signal,
      callbackToken: CALLBACK_TOKEN,
      reportProgress: () => {},
    });
  }

  it('posts the deployment as JSON signed with the secret', async () => {
    receiver.answerWith({ status: 200 });

    const outcome = await deploy(createExecutor());

    expect(outcome.status).toBe('succeeded');
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-immutable-releases-deployment-id']).toBe('dep-1');
    // Only an asynchronous executor's CD system needs to report back.
    expect(request.headers).not.toHaveProperty(
      'x-immutable-releases-callback-token',
    );
    expect(JSON.parse(request.body.toString('utf8'))).toEqual(payload);
    expect(hasValidSignature(request)).toBe(true);
  });

  it('takes the url and message of a synchronous answer', async () => {
    receiver.answerWith({
      status: 200,
      body: { url: 'https://cd.example.com/runs/7', message: 'rolled out' },
    });

    await expect(deploy(createExecutor())).resolves.toMatchObject({
      status: 'succeeded',
      url: 'https://cd.example.com/runs/7',
      message: 'rolled out',
    });
  });

  it('fails when a synchronous answer says the deployment failed', async () => {
    receiver.answerWith({
      status: 200,
      body: { status: 'failed', message: 'image pull backoff' },
    });

    await expect(deploy(createExecutor())).resolves.toMatchObject({
      status: 'failed',
      message: 'image pull backoff',
    });
  });

  it('leaves an asynchronous deployment running until its completion callback', async () => {
    receiver.answerWith({
      status: 202,
      body: { url: 'https://cd.example.com/runs/8' },
    });

    await expect(deploy(createExecutor({ async: true }))).resolves.toEqual({
      status: 'running',
      message: 'waiting for completion callback',
      url: 'https://cd.example.com/runs/8',
    });
    expect(
      receiver.requests[0].headers['x-immutable-releases-callback-token'],
    ).toBe(CALLBACK_TOKEN);
  });

  it('retries a 5xx answer, sending the same signed body again', async () => {
    receiver.answerWith({ status: 503 }, { status: 200 });

    const outcome = await deploy(createExecutor());

    expect(outcome.status).toBe('succeeded');
    expect(receiver.requests).toHaveLength(2);
    expect(receiver.requests[1].body).toEqual(receiver.requests[0].body);
    expect(receiver.requests.every(hasValidSignature)).toBe(true);
  });

  it('gives up after the configured retries, naming the HTTP status', async () => {
    receiver.answerWith({ status: 502, body: 'upstream down' });

    const outcome = await deploy(createExecutor({ retries: 2 }));

    expect(receiver.requests).toHaveLength(3);
    expect(outcome).toMatchObject({
      status: 'failed',
      message: 'webhook answered HTTP 502 Bad Gateway (after 3 attempts)',
      output: 'upstream down',
    });
  });

  it('does not retry a 4xx answer', async () => {
    receiver.answerWith({ status: 401, body: { error: 'bad signature' } });

    const outcome = await deploy(createExecutor());

    expect(receiver.requests).toHaveLength(1);
    expect(outcome).toMatchObject({
      status: 'failed',
      message: 'webhook answered HTTP 401 Unauthorized',
    });
    expect(outcome.output).toContain('bad signature');
  });

  it('retries network errors and names the last one', async () => {
    await receiver.stop();

    const outcome = await deploy(createExecutor({ retries: 1 }));

    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(
      /^webhook request failed: .*ECONNREFUSED.* \(after 2 attempts\)$/,
    );
  });

  it('fails a request that takes longer than its timeout', async () => {
    receiver.answerWith('hang');

    const outcome = await deploy(
      createExecutor({ timeout: { milliseconds: 200 }, retries: 0 }),
    );

    expect(outcome).toEqual({
      status: 'failed',
      message: 'webhook request timed out after 200 ms',
    });
  });

  it('stops when the deployment is aborted', async () => {
    receiver.answerWith('hang');
    const abortController = new AbortController();

    const deployment = deploy(createExecutor(), abortController.signal);
    await waitFor(() => receiver.requests.length === 1);
    abortController.abort();

    await expect(deployment).resolves.toEqual({
      status: 'failed',
      message: 'deployment aborted',
    });
    expect(receiver.requests).toHaveLength(1);
  });

  describe('configuration', () => {
    it.each([
      [
        { url: undefined },
        'immutableReleases.executors.cd-webhook.url must be an http or https URL',
      ],
      [
        { url: 'ftp://cd.example.com' },
        'immutableReleases.executors.cd-webhook.url must be an http or https URL',
      ],
      [
        { url: 'not a url' },
        'immutableReleases.executors.cd-webhook.url must be an http or https URL',
      ],
      [
        { secret: undefined },
        'immutableReleases.executors.cd-webhook.secret must be a non-empty string',
      ],
      [
        { async: 'maybe' },
        'immutableReleases.executors.cd-webhook.async must be true or false',
      ],
      [
        { retries: -1 },
        'immutableReleases.executors.cd-webhook.retries must be a whole number of 0 or more',
      ],
      [
        { retries: 1.5 },
        'immutableReleases.executors.cd-webhook.retries must be a whole number of 0 or more',
      ],
      [
        { timeout: 'whenever' },
        'immutableReleases.executors.cd-webhook.timeout must be a duration',
      ],
    ])('rejects %j', (override, message) => {
      const config = Object.fromEntries(
        Object.entries({ url, secret: SECRET, ...override }).filter(
          ([, value]) => value !== undefined,
        ),
      ) as JsonObject;
      expect(() =>
        WebhookExecutor.create({
          name: 'cd-webhook',
          config: new ConfigReader(config),
        }),
      ).toThrow(message);
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 4_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
