import path from 'node:path';
import {
  JsonApiAnswer,
  JsonApiServer,
  RecordedRequest,
  selfSignedTls,
} from '@internal/test-utils';
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

const TLS = selfSignedTls(path.join(__dirname, 'tls'));

/** The base64 PEM a `caData` setting holds to trust the HTTPS server. */
export const TEST_CA_DATA = TLS.caData;

const BASE_TIME = Date.parse('2026-01-10T10:00:00Z');

/**
 * An Argo CD API server on 127.0.0.1 speaking the subset this module uses:
 * get, merge-patch and sync an Application, behind a bearer token.
 */
export class ArgoCdApiServer extends JsonApiServer {
  private readonly applications = new Map<string, StoredApplication>();
  /** Every event gets its own second, so operations are told apart by `startedAt`. */
  private clock = 0;

  /**
   * Starts it on a free port; with `tls`, over HTTPS with the self-signed
   * certificate of `tls/` (see {@link TEST_CA_DATA}).
   */
  static start(
    token: string,
    options: { tls?: boolean } = {},
  ): Promise<ArgoCdApiServer> {
    return new ArgoCdApiServer(token, options.tls ?? false).listen();
  }

  private constructor(token: string, tls: boolean) {
    super({ token, tls: tls ? TLS : undefined });
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

  private tick(): string {
    this.clock += 1;
    return new Date(BASE_TIME + this.clock * 1000)
      .toISOString()
      .replace('.000Z', 'Z');
  }

  protected refuseCredentials(): JsonApiAnswer {
    return argoCdError(401, 16, 'invalid session: token signature is invalid');
  }

  protected answer({
    method,
    path: requestPath,
    body,
  }: RecordedRequest): JsonApiAnswer {
    const match = /^\/api\/v1\/applications\/([^/]+)(\/sync)?$/.exec(
      requestPath,
    );
    const stored = match && this.applications.get(decodeURIComponent(match[1]));
    if (!match || !stored) {
      return argoCdError(
        404,
        5,
        `applications.argoproj.io "${match?.[1]}" not found`,
      );
    }
    if (method === 'GET' && !match[2]) {
      this.advance(stored);
      return { status: 200, json: stored.application };
    }
    if (method === 'PATCH' && !match[2]) {
      if (body.patchType !== 'merge') {
        return argoCdError(400, 3, `unsupported patch type ${body.patchType}`);
      }
      stored.application = mergePatch(
        stored.application,
        JSON.parse(body.patch),
      ) as Application;
      if (stored.automated) {
        this.startSync(stored);
      }
      return { status: 200, json: stored.application };
    }
    if (method === 'POST' && match[2]) {
      if (stored.application.operation) {
        return argoCdError(400, 9, 'another operation is already in progress');
      }
      this.startSync(stored);
      return { status: 200, json: stored.application };
    }
    return argoCdError(405, 12, 'method not allowed');
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
}

/** An error as Argo CD's API answers it, with its gRPC status code. */
function argoCdError(
  status: number,
  code: number,
  message: string,
): JsonApiAnswer {
  return { status, json: { error: message, code, message } };
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
