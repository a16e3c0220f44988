import { ResponseError } from '@backstage/errors';
import type { paths } from '../schema/openapi.generated';
import { GatesRefusedError } from './GatesRefusedError';

/** The plugin id the backend is discovered by. */
const PLUGIN_ID = 'immutable-releases';

/** Where the backend is, and how to fetch from it. */
export interface OperationTransport {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi: { fetch: typeof fetch };
}

export type Method = 'get' | 'post' | 'delete';
export type Route = keyof paths;
/** The methods a route has. */
export type MethodOf<R extends Route> = {
  [M in Method]: undefined extends paths[R][M] ? never : M;
}[Method];
export type Operation<R extends Route, M extends MethodOf<R>> = Exclude<
  paths[R][M],
  undefined
>;

type JsonContent<T> = T extends { content: { 'application/json': infer B } }
  ? B
  : undefined;
type SuccessStatus = 200 | 201 | 202 | 204;
/** The successful answers of an operation: each status with its body. */
export type Answer<O> = O extends { responses: infer R }
  ? {
      [S in keyof R & SuccessStatus]: { status: S; body: JsonContent<R[S]> };
    }[keyof R & SuccessStatus]
  : never;

/** Path and query parameters and body of an operation, as the document types them. */
export type Input<O> = (O extends { parameters: { path: infer P } }
  ? { path: P }
  : { path?: undefined }) &
  (O extends { parameters: { query?: infer Q } } ? { query?: Q } : unknown) &
  (O extends { requestBody: { content: { 'application/json': infer B } } }
    ? { body: B }
    : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? { body?: B }
    : unknown);

type QueryValue = string | number;

/** What {@link sendOperation} does with any operation. */
interface UntypedInput {
  path?: Record<string, string>;
  query?: Record<string, QueryValue | readonly QueryValue[] | undefined>;
  body?: unknown;
}

/**
 * Sends one operation of the OpenAPI document and answers its status and
 * body, typed from the document. An error answer rejects with a
 * `ResponseError`, or a {@link GatesRefusedError} for a promotion its gates
 * refused.
 */
export async function sendOperation<R extends Route, M extends MethodOf<R>>(
  transport: OperationTransport,
  method: M,
  route: R,
  typedInput: Input<Operation<R, M>>,
  token?: string,
): Promise<Answer<Operation<R, M>>> {
  // The document types each operation's input; sending treats them alike.
  const input = typedInput as UntypedInput;
  const baseUrl = await transport.discoveryApi.getBaseUrl(PLUGIN_ID);
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = input.path?.[name];
    if (value === undefined) {
      throw new TypeError(`${route} needs the path parameter ${name}`);
    }
    return encodeURIComponent(value);
  });
  const search = queryString(input.query ?? {});
  const headers: Record<string, string> = {};
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  if (input.body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await transport.fetchApi.fetch(
    `${baseUrl}${path}${search ? `?${search}` : ''}`,
    {
      method: method.toUpperCase(),
      headers,
      body: input.body === undefined ? undefined : JSON.stringify(input.body),
    },
  );
  if (!response.ok) {
    const error = await ResponseError.fromResponse(response);
    throw GatesRefusedError.fromResponseError(error) ?? error;
  }
  if (response.status === 204) {
    return { status: response.status, body: undefined } as Answer<
      Operation<R, M>
    >;
  }
  const body: unknown = await response.json();
  return { status: response.status, body } as Answer<Operation<R, M>>;
}

/**
 * The query string of an operation, each value percent-encoded (so an entity
 * ref's `:` and `/` arrive as `%3A` and `%2F`, as the request validator wants
 * them) and an array sent as the parameter repeated (`drift=a&drift=b`, the
 * document's `style: form, explode: true`).
 */
function queryString(query: NonNullable<UntypedInput['query']>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    let values: readonly QueryValue[] = [];
    if (typeof value === 'string' || typeof value === 'number') {
      values = [value];
    } else if (value) {
      values = value;
    }
    for (const each of values) {
      parts.push(
        `${encodeURIComponent(key)}=${encodeURIComponent(String(each))}`,
      );
    }
  }
  return parts.join('&');
}
