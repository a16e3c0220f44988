import { JsonApiAnswer, JsonApiServer, RecordedRequest } from './JsonApiServer';

/** Echoes what it received; `/broken` is a mistake of the server. */
class EchoServer extends JsonApiServer {
  static start(token: string) {
    return new EchoServer(token).listen();
  }

  private constructor(token: string) {
    super({ token });
  }

  protected refuseCredentials(): JsonApiAnswer {
    return { status: 401, json: { reason: 'who are you?' } };
  }

  protected answer(request: RecordedRequest): JsonApiAnswer {
    if (request.path === '/broken') {
      throw new Error('no route for that');
    }
    if (request.path === '/empty') {
      return { status: 204 };
    }
    if (request.path === '/html') {
      return { status: 502, contentType: 'text/html', text: '<h1>502</h1>' };
    }
    return { status: 200, json: { received: request.body } };
  }
}

describe('JsonApiServer', () => {
  let server: EchoServer;

  beforeEach(async () => {
    server = await EchoServer.start('s3cret');
  });
  afterEach(async () => {
    await server.stop();
  });

  it('listens on a free port of 127.0.0.1 and answers JSON to a request with the token', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`http://${server.host}`);

    const response = await fetch(`${server.url}/things?kind=a&page=2`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer s3cret',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'thing' }),
    });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(response.json()).resolves.toEqual({
      received: { name: 'thing' },
    });
    expect(server.requests).toEqual([
      {
        method: 'POST',
        path: '/things',
        query: { kind: 'a', page: '2' },
        authorization: 'Bearer s3cret',
        contentType: 'application/json',
        body: { name: 'thing' },
      },
    ]);
  });

  it("refuses a request without the token with the protocol's answer, and records it", async () => {
    const wrong = await fetch(`${server.url}/things`, {
      headers: { authorization: 'Bearer guess' },
    });
    const none = await fetch(`${server.url}/things`);

    expect(wrong.status).toBe(401);
    await expect(wrong.json()).resolves.toEqual({ reason: 'who are you?' });
    expect(none.status).toBe(401);
    expect(server.requests.map(r => r.authorization)).toEqual([
      'Bearer guess',
      undefined,
    ]);
  });

  it('answers no body, text, and 500 for a mistake of the server', async () => {
    const headers = { authorization: 'Bearer s3cret' };

    const empty = await fetch(`${server.url}/empty`, { headers });
    const html = await fetch(`${server.url}/html`, { headers });
    const broken = await fetch(`${server.url}/broken`, { headers });

    expect(empty.status).toBe(204);
    await expect(empty.text()).resolves.toBe('');
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    await expect(html.text()).resolves.toBe('<h1>502</h1>');
    expect(broken.status).toBe(500);
    await expect(broken.json()).resolves.toEqual({
      message: 'Error: no route for that',
    });
  });

  it('keeps a body that is not JSON as text', async () => {
    await fetch(`${server.url}/things`, {
      method: 'PUT',
      headers: { authorization: 'Bearer s3cret', 'content-type': 'text/plain' },
      body: 'plain words',
    });

    expect(server.requests[0]).toMatchObject({
      contentType: 'text/plain',
      body: 'plain words',
    });
  });
});
