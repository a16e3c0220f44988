import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { Application, ApplicationSource } from '../argoCdTypes';
import { imageRepository } from 'backstage-plugin-immutable-releases-node';

/**
 * How an Application behaves after a sync is requested, one step per GET:
 * `healthy` runs the operation, succeeds, is reconciled, then turns Healthy;
 * `degraded` does the same but ends Degraded; `fails` ends the operation
 * Failed; `stalls` keeps the operation Running.
 */
export type SyncBehaviour = 'healthy' | 'degraded' | 'fails' | 'stalls';

interface StoredApplication {
  application: Application;
  /** The images the application's manifests name before any override. */
  manifestImages: string[];
  behaviour: SyncBehaviour;
  /** An automated sync policy: a change of the spec starts a sync at once. */
  automated: boolean;
  /** GETs since the sync was requested; undefined when none is under way. */
  readsSinceSync?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: any;
}

const TLS_DIR = path.join(__dirname, 'tls');

/** The base64 PEM a `caData` setting holds to trust the HTTPS server. */
export const TEST_CA_DATA = fs
  .readFileSync(path.join(TLS_DIR, 'test-only-cert.pem'))
  .toString('base64');

const BASE_TIME = Date.parse('2026-01-10T10:00:00Z');

/**
 * An Argo CD API server on 127.0.0.1 speaking the subset this module uses:
 * get, merge-patch and sync an Application, behind a bearer token.
 */
export class ArgoCdApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly applications = new Map<string, StoredApplication>();
  private readonly server: http.Server;
  /** Every event gets its own second, so operations are told apart by `startedAt`. */
  private clock = 0;

  /**
   * Starts it on a free port; with `tls`, over HTTPS with the self-signed
   * certificate of `tls/` (see {@link TEST_CA_DATA}).
   */
  static async start(
    token: string,
    options: { tls?: boolean } = {},
  ): Promise<ArgoCdApiServer> {
    const api = new ArgoCdApiServer(token, options.tls ?? false);
    await new Promise<void>(resolve =>
      api.server.listen(0, '127.0.0.1', resolve),
    );
    return api;
  }

  private constructor(
    private readonly token: string,
    private readonly tls: boolean,
  ) {
    const handler: http.RequestListener = (req, res) => this.handle(req, res);
    this.server = tls
      ? https.createServer(
          {
            cert: fs.readFileSync(path.join(TLS_DIR, 'test-only-cert.pem')),
            key: fs.readFileSync(path.join(TLS_DIR, 'test-only-key.pem')),
          },
          handler,
        )
      : http.createServer(handler);
  }

  get url(): string {
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${
      (this.server.address() as AddressInfo).port
    }`;
  }

  /** An Application, synced and healthy once (operation `startedAt` set). */
  addApplication(options: {
    name: string;
    source: ApplicationSource;
    manifestImages: string[];
    behaviour?: SyncBehaviour;
    automated?: boolean;
  }): void {
    const startedAt = this.tick();
    const finishedAt = this.tick();
    this.applications.set(options.name, {
      manifestImages: options.manifestImages,
      behaviour: options.behaviour ?? 'healthy',
      automated: options.automated ?? false,
      application: {
        metadata: { name: options.name, namespace: 'argocd' },
        spec: { project: 'default', source: options.source },
        status: {
          sync: { status: 'Synced', revision: 'abc123' },
          health: { status: 'Healthy' },
          operationState: { phase: 'Succeeded', startedAt, finishedAt },
          reconciledAt: finishedAt,
          summary: { images: options.manifestImages },
        },
      },
    });
  }

  application(name: string): Application {
    return this.applications.get(name)!.application;
  }

  /** What Argo CD reports running, e.g. after someone changed the cluster. */
  setSummaryImages(name: string, images: string[]): void {
    this.application(name).status!.summary = { images };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }

  private tick(): string {
    this.clock += 1;
    return new Date(BASE_TIME + this.clock * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const requestPath = new URL(req.url ?? '/', 'http://localhost').pathname;
      this.requests.push({
        method: req.method ?? '',
        path: requestPath,
        authorization: req.headers.authorization,
        body: text ? JSON.parse(text) : undefined,
      });
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        this.error(res, 401, 16, 'invalid session: token signature is invalid');
        return;
      }
      const match = /^\/api\/v1\/applications\/([^/]+)(\/sync)?$/.exec(
        requestPath,
      );
      const stored =
        match && this.applications.get(decodeURIComponent(match[1]));
      if (!match || !stored) {
        this.error(
          res,
          404,
          5,
          `applications.argoproj.io "${match?.[1]}" not found`,
        );
        return;
      }
      if (req.method === 'GET' && !match[2]) {
        this.advance(stored);
        this.json(res, 200, stored.application);
      } else if (req.method === 'PATCH' && !match[2]) {
        const body = JSON.parse(text);
        if (body.patchType !== 'merge') {
          this.error(res, 400, 3, `unsupported patch type ${body.patchType}`);
          return;
        }
        stored.application = mergePatch(
          stored.application,
          JSON.parse(body.patch),
        ) as Application;
        if (stored.automated) {
          this.startSync(stored);
        }
        this.json(res, 200, stored.application);
      } else if (req.method === 'POST' && match[2]) {
        if (stored.application.operation) {
          this.error(res, 400, 9, 'another operation is already in progress');
          return;
        }
        this.startSync(stored);
        this.json(res, 200, stored.application);
      } else {
        this.error(res, 405, 12, 'method not allowed');
      }
    });
  }

  private startSync(stored: StoredApplication): void {
    stored.application.operation = { sync: {}, initiatedBy: {} };
    stored.readsSinceSync = 0;
  }

  /** One step of the sync under way, as the application controller would take it. */
  private advance(stored: StoredApplication): void {
    if (stored.readsSinceSync === undefined) {
      return;
    }
    stored.readsSinceSync += 1;
    const status = stored.application.status!;
    const step = stored.readsSinceSync;
    if (step === 1) {
      status.operationState = { phase: 'Running', startedAt: this.tick() };
      status.sync = { status: 'OutOfSync' };
      status.health = { status: 'Progressing' };
      return;
    }
    if (stored.behaviour === 'stalls') {
      return;
    }
    if (step === 2) {
      delete stored.application.operation;
      const finishedAt = this.tick();
      if (stored.behaviour === 'fails') {
        status.operationState = {
          ...status.operationState,
          phase: 'Failed',
          finishedAt,
          message:
            'one or more objects failed to apply, reason: Deployment.apps "checkout" is invalid: spec.template.spec.containers[0].image: Invalid value',
        };
        stored.readsSinceSync = undefined;
        return;
      }
      status.operationState = {
        ...status.operationState,
        phase: 'Succeeded',
        finishedAt,
        message: 'successfully synced (all tasks run)',
      };
      status.sync = { status: 'Synced' };
      return;
    }
    if (step === 3) {
      // The first reconciliation after the sync: still rolling out.
      status.reconciledAt = this.tick();
      status.summary = {
        images: renderedImages(
          stored.manifestImages,
          stored.application.spec.source!,
        ),
      };
      return;
    }
    status.reconciledAt = this.tick();
    if (stored.behaviour === 'degraded') {
      status.health = { status: 'Degraded' };
      status.resources = [
        {
          kind: 'Deployment',
          name: 'checkout',
          namespace: 'shop',
          health: {
            status: 'Degraded',
            message: 'Deployment "checkout" exceeded its progress deadline',
          },
        },
      ];
    } else {
      status.health = { status: 'Healthy' };
    }
    stored.readsSinceSync = undefined;
  }

  private json(res: http.ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private error(
    res: http.ServerResponse,
    status: number,
    code: number,
    message: string,
  ) {
    this.json(res, status, { error: message, code, message });
  }
}

/** JSON merge patch (RFC 7386): objects merge, `null` removes, the rest replaces. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) {
    return patch;
  }
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The manifests' images after the source's Kustomize images or Helm `image` parameter. */
function renderedImages(images: string[], source: ApplicationSource): string[] {
  const overrides = new Map<string, string>();
  for (const entry of source.kustomize?.images ?? []) {
    const [name, image] = entry.includes('=')
      ? entry.split('=')
      : [imageRepository(entry), entry];
    overrides.set(name, image);
  }
  for (const parameter of source.helm?.parameters ?? []) {
    if (parameter.value) {
      overrides.set(imageRepository(parameter.value), parameter.value);
    }
  }
  return images.map(image => overrides.get(imageRepository(image)) ?? image);
}
