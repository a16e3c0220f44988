import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBackend } from '@backstage/backend-defaults';
import { rootConfigServiceFactory } from '@backstage/backend-defaults/rootConfig';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { immutableReleasesExecutorsExtensionPoint } from 'backstage-plugin-immutable-releases-node';
import { JsonObject } from '@backstage/types';
import { freePort } from '../src/__testUtils__/processes';
import { immutableReleasesPlugin } from '../src/plugin';

export const BENCH_TOKEN = 'immutable-releases-bench-static-token-0123456789';
export const BENCH_SUBJECT = 'bench-ci';

/**
 * When the executor was called for each deployment: the boundary of the
 * promotion path. The executor really is called by the plugin through the
 * `-node` extension point; it only records the time and succeeds.
 */
export const executorCalls = new Map<string, number>();
const now = () => performance.timeOrigin + performance.now();

const recordingExecutorModule = createBackendModule({
  pluginId: 'immutable-releases',
  moduleId: 'bench-recording-executor',
  register(env) {
    env.registerInit({
      deps: { executors: immutableReleasesExecutorsExtensionPoint },
      async init({ executors }) {
        executors.addExecutorType({
          type: 'bench-recorder',
          create: () => ({
            async deploy({ payload }) {
              executorCalls.set(payload.deploymentId, now());
              return { status: 'succeeded', message: 'recorded' };
            },
          }),
        });
      },
    });
  },
});

const LEVELS = ['error', 'warn', 'info', 'debug'];

/**
 * Logs as JSON lines on stderr, from LOG_LEVEL (default `warn`) up, so that
 * stdout carries only the results.
 */
class StderrLogger implements RootLoggerService {
  constructor(
    private readonly level: number,
    private readonly fields: JsonObject = {},
  ) {}

  private write(level: number, message: string, meta?: Error | JsonObject) {
    if (level > this.level) {
      return;
    }
    const extra =
      meta instanceof Error
        ? { error: String(meta.stack ?? meta) }
        : (meta as JsonObject | undefined) ?? {};
    process.stderr.write(
      `${JSON.stringify({
        level: LEVELS[level],
        message,
        ...this.fields,
        ...extra,
      })}\n`,
    );
  }

  error(message: string, meta?: Error | JsonObject) {
    this.write(0, message, meta);
  }
  warn(message: string, meta?: Error | JsonObject) {
    this.write(1, message, meta);
  }
  info(message: string, meta?: Error | JsonObject) {
    this.write(2, message, meta);
  }
  debug(message: string, meta?: Error | JsonObject) {
    this.write(3, message, meta);
  }
  child(meta: JsonObject): LoggerService {
    return new StderrLogger(this.level, { ...this.fields, ...meta });
  }
}

const stderrRootLogger = createServiceFactory({
  service: coreServices.rootLogger,
  deps: {},
  async factory() {
    const level = LEVELS.indexOf(process.env.LOG_LEVEL ?? 'warn');
    return new StderrLogger(level < 0 ? 1 : level);
  },
});

export interface BenchBackend {
  baseUrl: string;
  /** Waits until the catalog has ingested every entity (it does so in the background). */
  catalogIngested(): Promise<void>;
  /** Signs the approver in through the auth backend's guest provider: a user token. */
  approverToken(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a real Backstage backend (backend-defaults services: config from a
 * file, static-token auth, database, catalog) with the plugin, on 127.0.0.1.
 */
export async function startBenchBackend(options: {
  database: Record<string, unknown>;
  catalogEntityNames: string[];
  /** The user the guest provider signs in. */
  approver: string;
}): Promise<BenchBackend> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'immutable-releases-bench-config-'),
  );
  const entitiesFile = path.join(dir, 'entities.yaml');
  fs.writeFileSync(
    entitiesFile,
    options.catalogEntityNames
      .map(name =>
        JSON.stringify({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name, namespace: 'default' },
          spec: {
            type: 'service',
            lifecycle: 'production',
            owner: 'group:default/bench',
          },
        }),
      )
      .join('\n---\n'),
  );
  const configFile = path.join(dir, 'app-config.bench.yaml');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      app: { baseUrl },
      backend: {
        baseUrl,
        listen: { host: '127.0.0.1', port },
        database: options.database,
        auth: {
          externalAccess: [
            {
              type: 'static',
              options: { token: BENCH_TOKEN, subject: BENCH_SUBJECT },
            },
          ],
        },
      },
      auth: {
        providers: {
          guest: {
            dangerouslyAllowOutsideDevelopment: true,
            userEntityRef: options.approver,
          },
        },
      },
      catalog: {
        // Processed once: a catalog re-processing 10,000 entities every two
        // minutes would weigh on every measured path (large portals raise it too).
        processingInterval: { hours: 1 },
        rules: [{ allow: ['Component', 'Location'] }],
        locations: [{ type: 'file', target: entitiesFile }],
      },
      permission: { enabled: true },
      immutableReleases: {
        requireCatalogEntity: true,
        executors: { recorder: { type: 'bench-recorder' } },
        pipelines: {
          default: {
            queue: 'newest-wins',
            environments: [
              { name: 'development', executor: 'recorder' },
              { name: 'staging', from: 'development', executor: 'recorder' },
              {
                name: 'production',
                from: 'staging',
                executor: 'recorder',
                approvals: { required: 2 },
              },
            ],
          },
        },
      },
    }),
  );

  const backend = createBackend();
  backend.add(
    rootConfigServiceFactory({
      argv: [process.argv[0], 'bench', '--config', configFile],
      watch: false,
    }),
  );
  backend.add(stderrRootLogger);
  backend.add(import('@backstage/plugin-auth-backend'));
  backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
  backend.add(import('@backstage/plugin-catalog-backend'));
  backend.add(import('@backstage/plugin-permission-backend'));
  backend.add(
    import('@backstage/plugin-permission-backend-module-allow-all-policy'),
  );
  backend.add(immutableReleasesPlugin);
  backend.add(recordingExecutorModule);
  await backend.start();

  return {
    baseUrl,
    async catalogIngested() {
      const headers = {
        authorization: `Bearer ${BENCH_TOKEN}`,
        'content-type': 'application/json',
      };
      const refs = options.catalogEntityNames.map(
        name => `component:default/${name}`,
      );
      const deadline = Date.now() + 900_000;
      // The count can match while entities are still being stitched, and
      // a lookup by ref (what the plugin makes) then misses them: every
      // entity must also be found by ref.
      const ingested = async () => {
        const response = await fetch(
          `${baseUrl}/api/catalog/entities/by-query?filter=kind=component&limit=1`,
          { headers },
        );
        const counted = response.ok ? (await response.json()).totalItems : 0;
        if (counted !== refs.length) {
          return `${counted} of the ${refs.length} components counted`;
        }
        let found = 0;
        for (let i = 0; i < refs.length; i += 500) {
          const byRefs = await fetch(
            `${baseUrl}/api/catalog/entities/by-refs`,
            {
              method: 'POST',
              headers,
              body: JSON.stringify({
                entityRefs: refs.slice(i, i + 500),
                fields: ['metadata.name'],
              }),
            },
          );
          const { items } = byRefs.ok ? await byRefs.json() : { items: [] };
          found += items.filter(Boolean).length;
        }
        return found === refs.length
          ? undefined
          : `${found} of the ${refs.length} components found by ref`;
      };
      for (;;) {
        const missing = await ingested();
        if (!missing) {
          return;
        }
        if (Date.now() > deadline) {
          throw new Error(`the catalog had ${missing} after 15 minutes`);
        }
        await new Promise(resolve => setTimeout(resolve, 1000));
      }
    },
    async approverToken() {
      const refresh = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      if (!refresh.ok) {
        throw new Error(
          `signing in as the guest answered ${
            refresh.status
          }: ${await refresh.text()}`,
        );
      }
      const { backstageIdentity } = await refresh.json();
      return backstageIdentity.token;
    },
    async stop() {
      await backend.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
