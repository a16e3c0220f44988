import { GithubCredentialsProvider } from '@backstage/integration';

/** A GitHub REST request that failed: no answer, or an answer other than 2xx. */
export class GithubRequestError extends Error {
  name = 'GithubRequestError';
  /** The HTTP status; undefined when no answer came. */
  readonly status?: number;
  /** Waiting and asking again may give another answer (no answer, 5xx, rate limit). */
  readonly transient: boolean;

  constructor(
    message: string,
    options: { status?: number; transient: boolean; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.transient = options.transient;
  }
}

/** A repository on a GitHub host. */
export interface Repository {
  owner: string;
  name: string;
}

/**
 * The GitHub REST API of one host for one repository, with the credentials
 * Backstage's `integrations.github` gives for it (a token, or a GitHub App
 * installation token). Tokens never appear in messages.
 */
export class GithubApi {
  constructor(
    private readonly options: {
      host: string;
      apiBaseUrl: string;
      credentials: GithubCredentialsProvider;
      repository: Repository;
    },
  ) {}

  /** `https://<host>/<owner>/<name>`: how people and the credentials provider name it. */
  get repositoryUrl(): string {
    const { host, repository } = this.options;
    return `https://${host}/${repository.owner}/${repository.name}`;
  }

  /** `/repos/<owner>/<name>` followed by `path`, URL-encoded where it needs to be. */
  repoPath(...segments: Array<string | number>): string {
    const { owner, name } = this.options.repository;
    return ['/repos', owner, name, ...segments]
      .map((segment, index) =>
        index === 0 ? segment : encodeURIComponent(String(segment)),
      )
      .join('/');
  }

  async get<T>(
    path: string,
    options: { query?: Record<string, string>; signal: AbortSignal },
  ): Promise<T> {
    const response = await this.send('GET', path, options);
    return (await response.json()) as T;
  }

  async post(
    path: string,
    options: { body?: unknown; signal: AbortSignal },
  ): Promise<void> {
    const response = await this.send('POST', path, options);
    await response.body?.cancel();
  }

  private async send(
    method: string,
    path: string,
    options: {
      query?: Record<string, string>;
      body?: unknown;
      signal: AbortSignal;
    },
  ): Promise<Response> {
    const { host, apiBaseUrl } = this.options;
    const url = new URL(`${apiBaseUrl}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      'user-agent': 'backstage-plugin-immutable-releases',
      authorization: `Bearer ${await this.token()}`,
    };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    const request = `GitHub ${host}: ${method} ${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (error) {
      if (options.signal.aborted) {
        throw error;
      }
      throw new GithubRequestError(
        `${request} failed: ${describeError(error)}`,
        { transient: true, cause: error },
      );
    }
    if (!response.ok) {
      const reason = await reasonOf(response);
      throw new GithubRequestError(
        `${request} answered ${response.status} (${reason})`,
        {
          status: response.status,
          transient:
            response.status >= 500 ||
            response.status === 429 ||
            (response.status === 403 &&
              response.headers.get('x-ratelimit-remaining') === '0'),
        },
      );
    }
    return response;
  }

  private async token(): Promise<string> {
    const { host } = this.options;
    let token: string | undefined;
    try {
      ({ token } = await this.options.credentials.getCredentials({
        url: this.repositoryUrl,
      }));
    } catch (error) {
      throw new GithubRequestError(
        `no GitHub credentials for ${this.repositoryUrl}: ${describeError(
          error,
        )}`,
        { transient: false, cause: error },
      );
    }
    if (!token) {
      throw new GithubRequestError(
        `no GitHub credentials for ${this.repositoryUrl}: the integrations.github entry for ${host} has no token, and no GitHub App of it is installed on ${this.options.repository.owner}`,
        { transient: false },
      );
    }
    return token;
  }
}

/** `Not Found: <GitHub's message>`, from an error answer. */
async function reasonOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  let message: string | undefined;
  try {
    const body = JSON.parse(text);
    message = typeof body?.message === 'string' ? body.message : undefined;
    if (Array.isArray(body?.errors) && body.errors.length > 0) {
      message = `${message ?? ''} ${JSON.stringify(body.errors)}`.trim();
    }
  } catch {
    message = text.slice(0, 200) || undefined;
  }
  return [response.statusText, message].filter(Boolean).join(': ');
}

/** `fetch failed (connect ECONNREFUSED 127.0.0.1:1)`: Node's fetch keeps the reason in `cause`. */
function describeError(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  const cause = (error as Error)?.cause as Error | undefined;
  return cause?.message ? `${message} (${cause.message})` : message;
}
