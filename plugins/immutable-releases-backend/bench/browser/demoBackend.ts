import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './appBuild';

/** Who signs in through the guest provider: an owner of the measured entity and an approver. */
export const GUEST_REF = 'user:default/guest';

export interface DemoBackend {
  url: string;
  /** A user token of the guest, as the app gets one when it signs in. */
  guestToken(): Promise<string>;
  /** Waits until the catalog has the entity (it ingests its locations in the background). */
  catalogHas(entityRef: string): Promise<void>;
  stop(): Promise<void>;
}

/** The catalog of the run: the measured component, its owner group and the guest. */
function catalogEntities(componentName: string) {
  return [
    {
      kind: 'Group',
      metadata: { name: 'bench-owners' },
      spec: { type: 'team', children: [] },
    },
    {
      kind: 'Group',
      metadata: { name: 'release-managers' },
      spec: { type: 'team', children: [] },
    },
    {
      kind: 'User',
      metadata: { name: 'guest' },
      spec: { memberOf: ['bench-owners', 'release-managers'] },
    },
    {
      kind: 'Component',
      metadata: {
        name: componentName,
        annotations: { 'immutable-releases/pipeline': 'default' },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/bench-owners',
      },
    },
  ].map(entity => ({ apiVersion: 'backstage.io/v1alpha1', ...entity }));
}

/**
 * Starts the demo backend (packages/backend: catalog, auth with the guest
 * provider, permissions with the demo policy, scaffolder, notifications,
 * signals and Immutable Releases) as its own process, from its sources, with
 * only the configuration written here: no demo fleet, no drift probes, the
 * database given, the app's origin allowed. Its log goes to a file in `dir`.
 */
export async function startDemoBackend(options: {
  dir: string;
  port: number;
  appUrl: string;
  database: Record<string, unknown>;
  componentName: string;
}): Promise<DemoBackend> {
  const { dir, port, appUrl } = options;
  const url = `http://127.0.0.1:${port}`;
  const entitiesFile = path.join(dir, 'catalog.yaml');
  fs.writeFileSync(
    entitiesFile,
    catalogEntities(options.componentName)
      .map(entity => JSON.stringify(entity))
      .join('\n---\n'),
  );
  const configFile = path.join(dir, 'app-config.browser-bench.yaml');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      app: { title: 'Immutable Releases browser benchmark', baseUrl: appUrl },
      organization: { name: 'Bench' },
      backend: {
        baseUrl: url,
        listen: { host: '127.0.0.1', port },
        cors: {
          origin: appUrl,
          methods: ['GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'DELETE'],
          credentials: true,
        },
        database: options.database,
      },
      auth: {
        providers: {
          guest: {
            dangerouslyAllowOutsideDevelopment: true,
            userEntityRef: GUEST_REF,
          },
        },
      },
      catalog: {
        rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
        locations: [{ type: 'file', target: entitiesFile }],
      },
      permission: { enabled: true },
      immutableReleases: {
        requireCatalogEntity: true,
        // Nothing is deployed during the run: the executor is never called.
        executors: {
          idle: { type: 'command', command: [process.execPath, '-e', ''] },
        },
        pipelines: {
          default: {
            queue: 'newest-wins',
            environments: [
              { name: 'development', executor: 'idle' },
              { name: 'staging', from: 'development', executor: 'idle' },
              {
                name: 'production',
                from: 'staging',
                executor: 'idle',
                approvals: { required: 2 },
              },
            ],
          },
        },
      },
    }),
  );

  const logFile = path.join(dir, 'backend.log');
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      configFile,
    ],
    {
      cwd: path.join(REPO_ROOT, 'packages/backend'),
      stdio: ['ignore', log, log],
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
    },
  );
  fs.closeSync(log);
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  const failure = (what: string) =>
    new Error(
      `the demo backend ${what}; its log (${logFile}) ends with:\n${tail(
        logFile,
      )}`,
    );

  const until = async <T>(
    what: string,
    attempt: () => Promise<T | undefined>,
  ): Promise<T> => {
    const deadline = Date.now() + 300_000;
    for (;;) {
      if (child.exitCode !== null) {
        throw failure(`exited with ${child.exitCode} before ${what}`);
      }
      const result = await attempt().catch(() => undefined);
      if (result !== undefined) {
        return result;
      }
      if (Date.now() > deadline) {
        throw failure(`did not get to ${what} within 5 minutes`);
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
  };

  const guestToken = () =>
    until('signing in the guest', async () => {
      const response = await fetch(`${url}/api/auth/guest/refresh`, {
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      });
      return response.ok
        ? ((await response.json()).backstageIdentity.token as string)
        : undefined;
    });

  await until('answering', async () =>
    (
      await fetch(`${url}/.backstage/health/v1/readiness`)
    ).ok
      ? true
      : undefined,
  );

  return {
    url,
    guestToken,
    async catalogHas(entityRef) {
      const token = await guestToken();
      const [kind, rest] = entityRef.split(':');
      const [namespace, name] = rest.split('/');
      await until(`having ${entityRef} in the catalog`, async () =>
        (
          await fetch(
            `${url}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
            { headers: { authorization: `Bearer ${token}` } },
          )
        ).ok
          ? true
          : undefined,
      );
    },
    stop: () => stopProcess(child, exited),
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<unknown>) {
  if (child.exitCode !== null) {
    return;
  }
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
