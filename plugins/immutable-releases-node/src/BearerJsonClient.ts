import http from 'node:http';
import https from 'node:https';
import { CustomErrorBase } from '@backstage/errors';

const REQUEST_TIMEOUT_MS = 30_000;
/** How much of an error answer a message keeps when it carries no message field. */
const MAX_ERROR_BODY_CHARACTERS = 300;

/**
 * A request to a deployment target's API that failed. The message names the
 * server and the request, never the token; `status` is the HTTP status when
 * the server answered.
 *
 * @public
 */
export class TargetRequestError extends CustomErrorBase {
  name = 'TargetRequestError' as const;
  constructor(message: string, readonly status?: number, cause?: unknown) {
    super(message, cause);
  }
}

/** @public */
export interface BearerJsonClientOptions {
  /** The API's base URL; request paths are relative to it. */
  baseUrl: string;
  token: string;
  /** A PEM CA bundle, base64-encoded, to trust for HTTPS. */
  caData?: string;
  skipTLSVerify?: boolean;
  /** Names the server in messages, e.g. `cluster prod-eu`. */
  serverName: string;
}

/** @public */
export interface BearerJsonRequest {
  query?: Record<string, string>;
  body?: unknown;
  /** Of the body; `application/json` by default. */
  contentType?: string;
  signal?: AbortSignal;
}

/**
 * A small JSON client for the REST APIs that modules deploy to (a cluster,
 * Argo CD): bearer token, a configured CA or no verification, keep-alive.
 * Node's `fetch` cannot take a CA without an extra dependency, hence
 * `node:https`.
 *
 * @public
 */
export class BearerJsonClient {
  private readonly agent: http.Agent;
  private readonly baseUrl: URL;

  constructor(private readonly options: BearerJsonClientOptions) {
    this.baseUrl = new URL(
      options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
    );
    this.agent =
      this.baseUrl.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: options.caData
              ? Buffer.from(options.caData, 'base64').toString('utf8')
              : undefined,
            rejectUnauthorized: !options.skipTLSVerify,
          })
        : new http.Agent({ keepAlive: true });
  }

  request<T>(
    method: 'GET' | 'PATCH' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    request: BearerJsonRequest = {},
  ): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      url.searchParams.set(key, value);
    }
    const shown = `${this.options.serverName}: ${method} ${url.pathname}`;
    const body =
      request.body === undefined ? undefined : JSON.stringify(request.body);
    const transport = url.protocol === 'https:' ? https : http;

    return new Promise<T>((resolve, reject) => {
      const fail = (message: string, status?: number, cause?: unknown) =>
        reject(new TargetRequestError(message, status, cause));
      const req = transport.request(
        url,
        {
          method,
          agent: this.agent,
          timeout: REQUEST_TIMEOUT_MS,
          signal: request.signal,
          headers: {
            accept: 'application/json',
            authorization: `Bearer ${this.options.token}`,
            ...(body !== undefined
              ? {
                  'content-type': request.contentType ?? 'application/json',
                  'content-length': Buffer.byteLength(body),
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('error', error => fail(`${shown} failed`, undefined, error));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              fail(
                `${shown} answered ${status}${this.withoutToken(
                  describeErrorBody(text),
                )}`,
                status,
              );
              return;
            }
            try {
              resolve(JSON.parse(text) as T);
            } catch (error) {
              fail(`${shown} did not answer JSON`, status, error);
            }
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(
          new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} seconds`),
        ),
      );
      // The cause ends the message: `…; caused by Error: connect ECONNREFUSED …`.
      req.on('error', error => fail(`${shown} failed`, undefined, error));
      req.end(body);
    });
  }

  destroy(): void {
    this.agent.destroy();
  }

  /** An error body could quote the request; the token must not reach a message. */
  private withoutToken(text: string): string {
    return text.split(this.options.token).join('***');
  }
}

/** ` (reason: message)` from a JSON error answer, or the start of the body. */
function describeErrorBody(text: string): string {
  try {
    const parsed = JSON.parse(text);
    const message = parsed?.message ?? parsed?.error;
    if (typeof message === 'string' && message) {
      const reason = typeof parsed.reason === 'string' ? parsed.reason : '';
      return ` (${reason ? `${reason}: ` : ''}${message})`;
    }
  } catch {
    // Not JSON: show what it said.
  }
  const trimmed = text.trim().slice(0, MAX_ERROR_BODY_CHARACTERS);
  return trimmed ? ` (${trimmed})` : '';
}
