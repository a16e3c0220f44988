import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import knexFactory from 'knex';
import type { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  configuredPostgresIds,
  connectionStringVariable,
} from '@internal/test-utils';
import type {
  Deployment,
  Page,
} from 'backstage-plugin-immutable-releases-common';
import { freePort, isRunning } from './__testUtils__/processes';
import { digestOf, eventually } from './__testUtils__/testEngine';

jest.setTimeout(240_000);

const TOKEN = 'crash-test-static-token-0123456789';
const ENTITY_PATH =
  '/api/immutable-releases/v1/entities/component/default/checkout';

/**
 * Two backend processes on one PostgreSQL database: the first is killed with
 * SIGKILL in the middle of a deployment, the second takes over. No two deploy
 * commands may ever run at once, and the registry may not contradict what ran.
 */
const postgresIds = configuredPostgresIds();
// Two processes cannot share an in-memory SQLite database: without a PostgreSQL
// connection string the test is listed as skipped, saying why.
const describeOnPostgres =
  postgresIds.length > 0
    ? describe.each(postgresIds.map(id => [id]))
    : describe.skip.each([['no PostgreSQL connection string set']]);

describeOnPostgres('a backend killed mid-deployment, on %p', databaseId => {
  const connectionString =
    process.env[connectionStringVariable(databaseId as TestDatabaseId)]!;
  const prefix = `ir_crash_${randomUUID().slice(0, 8)}_`;
  let dir: string;
  const processes: ChildProcess[] = [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ir-crash-'));
    fs.writeFileSync(
      path.join(dir, 'entities.yaml'),
      JSON.stringify({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'checkout', namespace: 'default' },
        spec: { type: 'service', lifecycle: 'production', owner: 'team' },
      }),
    );
    // Logs start and end with its pid; runs until the file `release-<version>` exists.
    fs.writeFileSync(
      path.join(dir, 'deploy.js'),
      `const fs = require('fs');
const log = (what) => fs.appendFileSync(${JSON.stringify(
        path.join(dir, 'deploy.log'),
      )}, JSON.stringify({ what, version: process.env.IMMUTABLE_RELEASES_VERSION, pid: process.pid, at: Date.now() }) + '\\n');
log('start');
const done = ${JSON.stringify(
        dir,
      )} + '/release-' + process.env.IMMUTABLE_RELEASES_VERSION;
const wait = () => fs.existsSync(done) ? log('end') : setTimeout(wait, 50);
wait();
`,
    );
  });

  afterAll(async () => {
    for (const child of processes) {
      child.kill('SIGKILL');
    }
    const admin = knexFactory({ client: 'pg', connection: connectionString });
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
    await admin.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function startBackend(name: string) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const configFile = path.join(dir, `${name}.json`);
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        backend: {
          baseUrl,
          listen: { host: '127.0.0.1', port },
          database: { client: 'pg', connection: connectionString, prefix },
          auth: {
            externalAccess: [
              { type: 'static', options: { token: TOKEN, subject: 'ci' } },
            ],
          },
        },
        catalog: {
          rules: [{ allow: ['Component'] }],
          locations: [
            { type: 'file', target: path.join(dir, 'entities.yaml') },
          ],
        },
        permission: { enabled: true },
        immutableReleases: {
          executors: {
            local: {
              type: 'command',
              command: [process.execPath, path.join(dir, 'deploy.js')],
              timeout: { minutes: 5 },
            },
          },
          pipelines: {
            default: {
              queue: 'fifo',
              environments: [
                { name: 'development', executor: 'local', autoPromote: true },
              ],
            },
          },
        },
      }),
    );
    const output = fs.openSync(path.join(dir, `${name}.log`), 'a');
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        require.resolve('./__testUtils__/processBackend.ts'),
        configFile,
      ],
      { stdio: ['ignore', output, output] },
    );
    processes.push(child);
    const call = (method: string, route: string, body?: unknown) =>
      fetch(`${baseUrl}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    await eventually(
      () =>
        call('GET', '/api/catalog/entities/by-name/component/default/checkout')
          .then(r => r.status)
          .catch(() => 0),
      status => status === 200,
      `backend ${name} to start and see the entity`,
      120_000,
    );
    return { child, call };
  }

  const register = (
    backend: Awaited<ReturnType<typeof startBackend>>,
    version: string,
  ) =>
    backend.call('POST', '/api/immutable-releases/v1/releases', {
      entityRef: 'component:default/checkout',
      version,
      artifact: {
        type: 'oci-image',
        uri: 'ghcr.io/acme/checkout',
        digest: digestOf(version),
      },
    });

  const deployLog = () =>
    fs.existsSync(path.join(dir, 'deploy.log'))
      ? fs
          .readFileSync(path.join(dir, 'deploy.log'), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map(line => JSON.parse(line))
      : [];

  it('stops its command with it, holds the environment, and never runs two commands at once', async () => {
    const first = await startBackend('first');
    expect((await register(first, '1.0.0')).status).toBe(201);
    const [started] = await eventually(
      async () => deployLog(),
      lines => lines.length === 1,
      'the deployment of 1.0.0 to start',
      60_000,
    );

    first.child.kill('SIGKILL');
    await eventually(
      async () => isRunning(started.pid),
      running => !running,
      'the command of the killed backend to stop',
      10_000,
    );

    const second = await startBackend('second');
    expect((await register(second, '1.0.1')).status).toBe(201);
    const environments = async () =>
      (await (await second.call('GET', `${ENTITY_PATH}/environments`)).json())
        .environments[0];
    // The first backend's claim expires, the second one's sweep fails it.
    const held = await eventually(
      environments,
      environment => environment.hold !== null,
      'the unknown outcome to hold development',
      90_000,
    );
    expect(held.hold).toMatchObject({
      blocksDeployments: true,
      reason: expect.stringContaining(
        'the outcome of deploying 1.0.0 is unknown',
      ),
    });
    const deployments = async () =>
      (
        (await (
          await second.call('GET', `${ENTITY_PATH}/deployments`)
        ).json()) as Page<Deployment>
      ).items;
    expect(
      (await deployments()).map(d => [d.release.version, d.status]),
    ).toEqual([
      ['1.0.1', 'pending'],
      ['1.0.0', 'failed'],
    ]);
    expect(deployLog()).toHaveLength(1);

    fs.writeFileSync(path.join(dir, 'release-1.0.1'), '');
    expect(
      (
        await second.call(
          'DELETE',
          `${ENTITY_PATH}/environments/development/hold`,
        )
      ).status,
    ).toBe(204);
    await eventually(
      deployments,
      items => items[0].status === 'succeeded',
      '1.0.1 to be deployed once the hold is released',
      30_000,
    );

    // 1.0.0's command died with its backend before 1.0.1's started, and the
    // registry says what ran: 1.0.0 failed, 1.0.1 succeeded.
    expect(deployLog().map(line => [line.what, line.version])).toEqual([
      ['start', '1.0.0'],
      ['start', '1.0.1'],
      ['end', '1.0.1'],
    ]);
    expect(
      (await deployments()).map(d => [d.release.version, d.status]),
    ).toEqual([
      ['1.0.1', 'succeeded'],
      ['1.0.0', 'failed'],
    ]);
  });
});
