import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';

/** A request as a {@link JsonApiServer} received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  contentType?: string;
  /** The body parsed as JSON, or its text where it is not JSON; none when empty. */
  body?: any;
}

/** A JSON body (none for `json: undefined`), or text of another content type. */
export type JsonApiAnswer =
  | { status: number; json?: unknown }
  | { status: number; text: string; contentType: string };

export interface JsonApiServerOptions {
  /** The bearer token a request must carry. */
  token: string;
  /** Serves HTTPS with this certificate and key instead of HTTP. */
  tls?: { cert: Buffer | string; key: Buffer | string };
}

/**
 * An HTTP JSON API on 127.0.0.1 for a client under test to talk to: it
 * records every request, answers those with the bearer token through
 * `answer`, and the others through `refuseCredentials`. A subclass speaks
 * one protocol; its static `start` constructs it and calls `listen`.
 */
export abstract class JsonApiServer {
  readonly requests: RecordedRequest[] = [];
  protected readonly token: string;
  private readonly server: http.Server;
  private readonly tls: boolean;

  protected constructor(options: JsonApiServerOptions) {
    this.token = options.token;
    this.tls = options.tls !== undefined;
    const listener: http.RequestListener = (req, res) => {
      this.handle(req, res).catch(() => res.destroy());
    };
    this.server = options.tls
      ? https.createServer(
          { cert: options.tls.cert, key: options.tls.key },
          listener,
        )
      : http.createServer(listener);
  }

  /** `127.0.0.1:<port>` */
  get host(): string {
    const { port } = this.server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  /** `http(s)://127.0.0.1:<port>` */
  get url(): string {
    return `${this.tls ? 'https' : 'http'}://${this.host}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }

  /** Listens on a free port. */
  protected async listen(): Promise<this> {
    await new Promise<void>(resolve =>
      this.server.listen(0, '127.0.0.1', resolve),
    );
    return this;
  }

  /** The protocol's answer to a request that may be answered. */
  protected abstract answer(
    request: RecordedRequest,
  ): JsonApiAnswer | Promise<JsonApiAnswer>;

  /** The protocol's answer to a request without acceptable credentials. */
  protected abstract refuseCredentials(request: RecordedRequest): JsonApiAnswer;

  /** Whether the request may be answered: by default, when it carries the token. */
  protected acceptsCredentials(request: RecordedRequest): boolean {
    return bearerTokenOf(request) === this.token;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const request = await recordOf(req);
    this.requests.push(request);
    let answer: JsonApiAnswer;
    try {
      answer = this.acceptsCredentials(request)
        ? await this.answer(request)
        : this.refuseCredentials(request);
    } catch (error) {
      // A mistake of the test server: say so rather than leave the client waiting.
      answer = { status: 500, json: { message: String(error) } };
    }
    send(res, answer);
  }
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerTokenOf(request: RecordedRequest): string | undefined {
  return /^bearer (.+)$/i.exec(request.authorization ?? '')?.[1];
}

async function recordOf(req: http.IncomingMessage): Promise<RecordedRequest> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    authorization: req.headers.authorization,
    contentType: req.headers['content-type'],
    body: text ? parseJsonOrText(text) : undefined,
  };
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: http.ServerResponse, answer: JsonApiAnswer) {
  if ('text' in answer) {
    res.writeHead(answer.status, { 'content-type': answer.contentType });
    res.end(answer.text);
  } else if (answer.json === undefined) {
    res.writeHead(answer.status).end();
  } else {
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer.json));
  }
}
