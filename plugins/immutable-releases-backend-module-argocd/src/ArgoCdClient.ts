import http from 'node:http';
import https from 'node:https';
import { CustomErrorBase } from '@backstage/errors';
import { ArgoCdConnection } from './connectionSettings';

const REQUEST_TIMEOUT_MS = 30_000;
/** How much of an error answer a message keeps when it is not an Argo CD error. */
const MAX_ERROR_BODY_CHARACTERS = 300;

/** A request to the Argo CD API that failed; the message names the server, never the token. */
export class ArgoCdRequestError extends CustomErrorBase {
  name = 'ArgoCdRequestError' as const;
  constructor(
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status?: number,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}

/**
 * A minimal JSON client of Argo CD's REST API (`/api/v1`): bearer token, the
 * configured CA or no verification. Node's `fetch` cannot take a CA without
 * an extra dependency, hence `node:https`.
 */
export class ArgoCdClient {
  private readonly agent: http.Agent;
  private readonly host: string;

  constructor(private readonly connection: ArgoCdConnection) {
    const url = new URL(connection.baseUrl);
    this.host = url.host;
    this.agent =
      url.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: connection.caData
              ? Buffer.from(connection.caData, 'base64').toString('utf8')
              : undefined,
            rejectUnauthorized: !connection.skipTLSVerify,
          })
        : new http.Agent({ keepAlive: true });
  }

  /** The page of the Application in Argo CD's UI. */
  applicationUrl(name: string): string {
    return `${this.connection.baseUrl}/applications/${encodeURIComponent(
      name,
    )}`;
  }

  request<T>(
    method: 'GET' | 'PATCH' | 'POST',
    path: string,
    options: { body?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    const url = new URL(`${this.connection.baseUrl}${path}`);
    const shown = `Argo CD ${this.host}: ${method} ${url.pathname}`;
    const body =
      options.body === undefined ? undefined : JSON.stringify(options.body);
    const transport = url.protocol === 'https:' ? https : http;

    return new Promise<T>((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method,
          agent: this.agent,
          timeout: REQUEST_TIMEOUT_MS,
          signal: options.signal,
          headers: {
            accept: 'application/json',
            authorization: `Bearer ${this.connection.token}`,
            ...(body !== undefined
              ? {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(body),
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('error', error =>
            reject(new ArgoCdRequestError(`${shown} failed`, undefined, error)),
          );
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              reject(
                new ArgoCdRequestError(
                  `${shown} answered ${status}${this.withoutToken(
                    describeErrorBody(text),
                  )}`,
                  status,
                ),
              );
              return;
            }
            try {
              resolve(JSON.parse(text) as T);
            } catch (error) {
              reject(
                new ArgoCdRequestError(
                  `${shown} did not answer JSON`,
                  status,
                  error,
                ),
              );
            }
          });
        },
      );
      req.on('timeout', () =>
        req.destroy(
          new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} seconds`),
        ),
      );
      req.on('error', error => {
        // The cause's message ends the error's: `…; caused by Error: connect ECONNREFUSED …`.
        reject(new ArgoCdRequestError(`${shown} failed`, undefined, error));
      });
      req.end(body);
    });
  }

  /** An error body could quote the request; the token must not reach a message. */
  private withoutToken(text: string): string {
    return text.split(this.connection.token).join('***');
  }

  destroy(): void {
    this.agent.destroy();
  }
}

/** The `message` of an Argo CD (gRPC gateway) error answer, or the start of the body. */
function describeErrorBody(text: string): string {
  try {
    const parsed = JSON.parse(text);
    const message = parsed?.message ?? parsed?.error;
    if (typeof message === 'string' && message) {
      return ` (${message})`;
    }
  } catch {
    // Not JSON: show what it said.
  }
  const trimmed = text.trim().slice(0, MAX_ERROR_BODY_CHARACTERS);
  return trimmed ? ` (${trimmed})` : '';
}
