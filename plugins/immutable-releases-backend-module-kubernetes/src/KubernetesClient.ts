import http from 'node:http';
import https from 'node:https';
import { CustomErrorBase } from '@backstage/errors';
import { ClusterDefinition } from './clusterConfig';

const REQUEST_TIMEOUT_MS = 30_000;
/** How much of an error answer a message keeps when it is not a Kubernetes Status. */
const MAX_ERROR_BODY_CHARACTERS = 300;

/** A request to the Kubernetes API that failed; the message names the cluster, never the token. */
export class KubernetesRequestError extends CustomErrorBase {
  name = 'KubernetesRequestError' as const;
  constructor(
    message: string,
    /** The HTTP status, when the API server answered. */
    readonly status?: number,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}

export interface RequestOptions {
  query?: Record<string, string>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

/**
 * A minimal client of the Kubernetes REST API for one cluster: bearer token
 * (service account), the cluster's CA or no verification when configured.
 * See the package README for why it does not use @kubernetes/client-node.
 */
export class KubernetesClient {
  private readonly agent: http.Agent;
  private readonly baseUrl: URL;

  constructor(private readonly cluster: ClusterDefinition) {
    this.baseUrl = new URL(
      cluster.url.endsWith('/') ? cluster.url : `${cluster.url}/`,
    );
    this.agent =
      this.baseUrl.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: cluster.caData
              ? Buffer.from(cluster.caData, 'base64').toString('utf8')
              : undefined,
            rejectUnauthorized: !cluster.skipTLSVerify,
          })
        : new http.Agent({ keepAlive: true });
  }

  get clusterName(): string {
    return this.cluster.name;
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  patch<T>(path: string, options: RequestOptions): Promise<T> {
    return this.request<T>('PATCH', path, options);
  }

  /** Every item of a list, following `continue` tokens. */
  async list<T>(path: string, options: RequestOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.get<{
        items: T[];
        metadata?: { continue?: string };
      }>(path, {
        ...options,
        query: {
          ...options.query,
          limit: '500',
          ...(continueToken ? { continue: continueToken } : {}),
        },
      });
      items.push(...(page.items ?? []));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return items;
  }

  destroy(): void {
    this.agent.destroy();
  }

  private request<T>(
    method: string,
    path: string,
    options: RequestOptions,
  ): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      url.searchParams.set(key, value);
    }
    const shown = `cluster ${this.cluster.name}: ${method} ${url.pathname}`;
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
            authorization: `Bearer ${this.cluster.serviceAccountToken}`,
            ...(body !== undefined
              ? {
                  'content-type': options.contentType ?? 'application/json',
                  'content-length': Buffer.byteLength(body),
                }
              : {}),
          },
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', chunk => chunks.push(chunk));
          res.on('error', error =>
            reject(
              new KubernetesRequestError(
                `${shown} failed: ${error.message}`,
                undefined,
                error,
              ),
            ),
          );
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              reject(
                new KubernetesRequestError(
                  `${shown} answered ${status}${describeErrorBody(text)}`,
                  status,
                ),
              );
              return;
            }
            try {
              resolve(JSON.parse(text) as T);
            } catch (error) {
              reject(
                new KubernetesRequestError(
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
        const code = (error as NodeJS.ErrnoException).code;
        reject(
          new KubernetesRequestError(
            `${shown} failed: ${
              code && code !== 'ABORT_ERR' ? `${code} ` : ''
            }${error.message}`,
            undefined,
            error,
          ),
        );
      });
      req.end(body);
    });
  }
}

/** The `message` of a Kubernetes Status answer, or the start of the body. */
function describeErrorBody(text: string): string {
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed.message === 'string') {
      return ` (${parsed.reason ? `${parsed.reason}: ` : ''}${parsed.message})`;
    }
  } catch {
    // Not JSON: show what it said.
  }
  const trimmed = text.trim().slice(0, MAX_ERROR_BODY_CHARACTERS);
  return trimmed ? ` (${trimmed})` : '';
}
