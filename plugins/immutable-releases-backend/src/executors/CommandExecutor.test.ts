import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import {
  DeploymentPayload,
  DeploymentProgress,
} from 'backstage-plugin-immutable-releases-node';
import { eventually } from '@internal/test-utils';
import { isRunning } from '../__testUtils__/processes';
import { CommandExecutor } from './CommandExecutor';

const NODE = process.execPath;

const payload: DeploymentPayload = {
  deploymentId: 'dep-1',
  kind: 'promotion',
  entityRef: 'component:default/shop',
  environment: 'staging',
  artifactRef: `ghcr.io/acme/shop@sha256:${'a'.repeat(64)}`,
  release: {
    id: 'rel-1',
    version: '1.2.3',
    artifact: {
      type: 'oci-image',
      uri: 'ghcr.io/acme/shop',
      digest: `sha256:${'a'.repeat(64)}`,
    },
    source: { repository: 'https://github.com/acme/shop', commit: 'abc123' },
    build: { id: '42' },
    labels: { team: 'checkout' },
  },
};

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
};

/** Writes what it was given (stdin, argv, cwd, env) as JSON to argv[2]. */
const RECORDER = `
const fs = require('node:fs');
let stdin = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', chunk => { stdin += chunk; });
process.stdin.on('end', () => {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k.startsWith('IMMUTABLE_RELEASES_')),
  );
  fs.writeFileSync(process.argv[2], JSON.stringify({
    stdin, argv: process.argv.slice(3), cwd: process.cwd(), env,
  }));
  console.log('recorded');
});
`;

/** Records its pid (and a grandchild's) in argv[2], then never ends. */
const STUBBORN = `
const fs = require('node:fs');
const { spawn } = require('node:child_process');
process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
const grandchild = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: 'ignore' });
fs.writeFileSync(process.argv[2], JSON.stringify({ child: process.pid, grandchild: grandchild.pid }));
setInterval(() => {}, 1000);
`;

describe('CommandExecutor', () => {
  let rootDir: string;

  beforeEach(() => {
    rootDir = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'command-executor-')),
    );
    fs.writeFileSync(path.join(rootDir, 'recorder.js'), RECORDER);
    fs.writeFileSync(path.join(rootDir, 'stubborn.js'), STUBBORN);
  });

  afterEach(() => {
    fs.rmSync(rootDir, { recursive: true, force: true });
  });

  function createExecutor(config: JsonObject, killGraceMs?: number) {
    return CommandExecutor.create({
      name: 'local',
      config: new ConfigReader(config),
      rootDir,
      killGraceMs,
    });
  }

  function deploy(
    executor: CommandExecutor,
    signal: AbortSignal = new AbortController().signal,
    reportProgress: (progress: DeploymentProgress) => void = () => {},
  ) {
    return executor.deploy({
      payload,
      entity,
      signal,
      callbackToken: 'unused',
      reportProgress,
    });
  }

  function readRecord(file: string) {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  }

  it('passes the deployment as JSON on stdin and in environment variables, in the root directory', async () => {
    const recordFile = path.join(rootDir, 'record.json');
    const executor = createExecutor({
      command: [NODE, 'recorder.js', recordFile],
    });

    const outcome = await deploy(executor);

    expect(outcome).toEqual({ status: 'succeeded', output: 'recorded' });
    const record = readRecord(recordFile);
    expect(JSON.parse(record.stdin)).toEqual(payload);
    expect(record.cwd).toBe(rootDir);
    expect(record.env).toEqual({
      IMMUTABLE_RELEASES_DEPLOYMENT_ID: 'dep-1',
      IMMUTABLE_RELEASES_KIND: 'promotion',
      IMMUTABLE_RELEASES_ENTITY_REF: 'component:default/shop',
      IMMUTABLE_RELEASES_ENVIRONMENT: 'staging',
      IMMUTABLE_RELEASES_VERSION: '1.2.3',
      IMMUTABLE_RELEASES_DIGEST: `sha256:${'a'.repeat(64)}`,
      IMMUTABLE_RELEASES_ARTIFACT_REF: `ghcr.io/acme/shop@sha256:${'a'.repeat(
        64,
      )}`,
    });
  });

  it('runs in cwd, resolved against the root directory', async () => {
    fs.mkdirSync(path.join(rootDir, 'deploy'));
    const recordFile = path.join(rootDir, 'record.json');
    const executor = createExecutor({
      command: [NODE, '../recorder.js', recordFile],
      cwd: 'deploy',
    });

    await expect(deploy(executor)).resolves.toMatchObject({
      status: 'succeeded',
    });
    expect(readRecord(recordFile).cwd).toBe(path.join(rootDir, 'deploy'));
  });

  it('passes arguments literally, without a shell', async () => {
    const recordFile = path.join(rootDir, 'record.json');
    const literalArguments = ['$(echo hi)', '*', '; exit 3', '"quoted" $HOME'];
    const executor = createExecutor({
      command: [NODE, 'recorder.js', recordFile, ...literalArguments],
    });

    await expect(deploy(executor)).resolves.toMatchObject({
      status: 'succeeded',
    });
    expect(readRecord(recordFile).argv).toEqual(literalArguments);
  });

  it('fails with the exit code and keeps what the command printed on stdout and stderr', async () => {
    const executor = createExecutor({
      command: [
        NODE,
        '-e',
        "console.log('pulling image'); console.error('disk full'); process.exitCode = 3",
      ],
    });

    const outcome = await deploy(executor);

    expect(outcome.status).toBe('failed');
    expect(outcome.message).toBe('command exited with code 3');
    expect(outcome.output).toContain('pulling image');
    expect(outcome.output).toContain('disk full');
  });

  it('reports what the command printed so far while it runs', async () => {
    const go = path.join(rootDir, 'go');
    const executor = createExecutor({
      command: [
        NODE,
        '-e',
        `console.log('pulling image');
         const wait = () => require('fs').existsSync(${JSON.stringify(go)})
           ? console.log('rolled out') : setTimeout(wait, 20);
         wait();`,
      ],
    });
    const progress: DeploymentProgress[] = [];

    const deploying = deploy(executor, undefined, report =>
      progress.push(report),
    );
    await eventually(async () =>
      expect(progress).toContainEqual({ output: 'pulling image' }),
    );
    fs.writeFileSync(go, '');

    await expect(deploying).resolves.toMatchObject({
      status: 'succeeded',
      output: 'pulling image\nrolled out',
    });
  });

  it('succeeds when the command does not read its stdin', async () => {
    const executor = createExecutor({ command: [NODE, '-e', ''] });
    const bigPayload: DeploymentPayload = {
      ...payload,
      release: { ...payload.release, labels: { notes: 'x'.repeat(1_000_000) } },
    };

    await expect(
      executor.deploy({
        payload: bigPayload,
        entity,
        signal: new AbortController().signal,
        callbackToken: 'unused',
        reportProgress: () => {},
      }),
    ).resolves.toEqual({ status: 'succeeded', output: '' });
  });

  it('keeps only the last 50 lines of output', async () => {
    const executor = createExecutor({
      command: [
        NODE,
        '-e',
        "for (let i = 1; i <= 500; i++) console.log('line ' + i)",
      ],
    });

    const { output } = await deploy(executor);

    const expectedLines = Array.from(
      { length: 50 },
      (_, i) => `line ${451 + i}`,
    );
    expect(output?.split('\n')).toEqual(expectedLines);
  });

  it('keeps at most 8 KiB of output, ending with the last thing printed', async () => {
    const executor = createExecutor({
      command: [
        NODE,
        '-e',
        "for (let i = 1; i <= 40; i++) console.log(String(i).padStart(4, '0') + 'é'.repeat(500)); console.log('done')",
      ],
    });

    const { output = '' } = await deploy(executor);

    expect(Buffer.byteLength(output, 'utf8')).toBeLessThanOrEqual(8 * 1024);
    expect(Buffer.byteLength(output, 'utf8')).toBeGreaterThan(7 * 1024);
    expect(output).not.toContain('\uFFFD');
    expect(output.endsWith(`0040${'é'.repeat(500)}\ndone`)).toBe(true);
  });

  it('kills a command that runs past its timeout and fails', async () => {
    const executor = createExecutor({
      command: [NODE, '-e', 'setInterval(() => {}, 1000)'],
      timeout: { milliseconds: 300 },
    });

    const startedAt = Date.now();
    const outcome = await deploy(executor);

    expect(outcome).toMatchObject({
      status: 'failed',
      message: 'command timed out after 300 ms',
    });
    expect(Date.now() - startedAt).toBeLessThan(4_000);
  });

  it('accepts the timeout as a string', async () => {
    const executor = createExecutor({
      command: [NODE, '-e', 'setInterval(() => {}, 1000)'],
      timeout: '300ms',
    });

    await expect(deploy(executor)).resolves.toMatchObject({
      message: 'command timed out after 300 ms',
    });
  });

  it('stops the command and everything it started when the deployment is aborted, even if they ignore SIGTERM', async () => {
    const pidFile = path.join(rootDir, 'pids.json');
    const executor = createExecutor(
      { command: [NODE, 'stubborn.js', pidFile] },
      200,
    );
    const abortController = new AbortController();

    const deployment = deploy(executor, abortController.signal);
    await waitFor(() => fs.existsSync(pidFile));
    const pids = readRecord(pidFile);
    abortController.abort();
    const outcome = await deployment;

    expect(outcome).toMatchObject({
      status: 'failed',
      message: 'deployment aborted',
    });
    expect(outcome.output).toContain('ignoring SIGTERM');
    await waitFor(() => !isRunning(pids.child) && !isRunning(pids.grandchild));
  });

  it('dies with the backend that started it, even when the backend is killed outright', async () => {
    const pidFile = path.join(rootDir, 'pids.json');
    const backendScript = path.join(rootDir, 'backend.js');
    fs.writeFileSync(
      backendScript,
      `const { CommandExecutor } = require(${JSON.stringify(
        require.resolve('./CommandExecutor'),
      )});
const { ConfigReader } = require(${JSON.stringify(
        require.resolve('@backstage/config'),
      )});
CommandExecutor.create({
  name: 'local',
  config: new ConfigReader({ command: [process.execPath, 'stubborn.js', ${JSON.stringify(
    pidFile,
  )}] }),
  rootDir: ${JSON.stringify(rootDir)},
}).deploy({
  payload: ${JSON.stringify(payload)},
  entity: ${JSON.stringify(entity)},
  signal: new AbortController().signal,
  callbackToken: 'unused',
  reportProgress: () => {},
});
`,
    );
    const backend = spawn(
      NODE,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        backendScript,
      ],
      { stdio: 'ignore' },
    );
    try {
      await waitFor(() => fs.existsSync(pidFile), 20_000);
      const pids = readRecord(pidFile);
      expect(isRunning(pids.child)).toBe(true);

      backend.kill('SIGKILL');

      await waitFor(
        () => !isRunning(pids.child) && !isRunning(pids.grandchild),
        5_000,
      );
    } finally {
      backend.kill('SIGKILL');
    }
  });

  it('does not start anything when the deployment is already aborted', async () => {
    const recordFile = path.join(rootDir, 'record.json');
    const executor = createExecutor({
      command: [NODE, 'recorder.js', recordFile],
    });

    await expect(deploy(executor, AbortSignal.abort())).resolves.toEqual({
      status: 'failed',
      message: 'deployment aborted',
    });
    expect(fs.existsSync(recordFile)).toBe(false);
  });

  it('fails naming the command when it cannot be found', async () => {
    const executor = createExecutor({
      command: ['no-such-deploy-command', '--now'],
    });

    const outcome = await deploy(executor);

    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('"no-such-deploy-command"');
    expect(outcome.message).toContain('ENOENT');
  });

  describe('configuration', () => {
    it.each([
      [
        {},
        'immutableReleases.executors.local.command must be a non-empty list of strings',
      ],
      [
        { command: [] },
        'immutableReleases.executors.local.command must be a non-empty list of strings',
      ],
      [
        { command: 'node deploy.js' },
        'immutableReleases.executors.local.command must be a non-empty list of strings',
      ],
      [
        { command: ['node', 3] },
        'immutableReleases.executors.local.command must be a non-empty list of strings',
      ],
      [
        { command: ['node'], cwd: 7 },
        'immutableReleases.executors.local.cwd must be a non-empty string',
      ],
      [
        { command: ['node'], timeout: 'soon' },
        'immutableReleases.executors.local.timeout must be a duration',
      ],
      [
        { command: ['node'], timeout: { minutes: 0 } },
        'immutableReleases.executors.local.timeout must be a positive duration',
      ],
    ])('rejects %j', (config, message) => {
      expect(() => createExecutor(config as JsonObject)).toThrow(message);
    });

    it('names the key it was given', () => {
      expect(() =>
        CommandExecutor.create({
          name: 'local',
          config: new ConfigReader({}),
          rootDir,
          configKey: 'somewhere.else',
        }),
      ).toThrow('somewhere.else.command must be a non-empty list of strings');
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 4_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}
