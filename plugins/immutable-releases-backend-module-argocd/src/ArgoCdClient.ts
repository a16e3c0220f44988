import { BearerJsonClient } from 'backstage-plugin-immutable-releases-node';
import { ArgoCdConnection } from './connectionSettings';

/**
 * A minimal JSON client of Argo CD's REST API (`/api/v1`): bearer token, the
 * configured CA or no verification. Failures are `TargetRequestError`s
 * naming the server, never the token.
 */
export class ArgoCdClient {
  private readonly http: BearerJsonClient;

  constructor(private readonly connection: ArgoCdConnection) {
    this.http = new BearerJsonClient({
      baseUrl: connection.baseUrl,
      token: connection.token,
      caData: connection.caData,
      skipTLSVerify: connection.skipTLSVerify,
      serverName: `Argo CD ${new URL(connection.baseUrl).host}`,
    });
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
    return this.http.request<T>(method, path, options);
  }

  destroy(): void {
    this.http.destroy();
  }
}
