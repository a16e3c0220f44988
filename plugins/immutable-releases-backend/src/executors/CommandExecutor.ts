import { ChildProcess, spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import { resolve as resolvePath } from 'node:path';
import { Config } from '@backstage/config';
import {
  DeploymentContext,
  DeploymentExecutor,
  DeploymentOutcome,
  DeploymentPayload,
  describeDuration,
  readPositiveDurationMs,
} from 'backstage-plugin-immutable-releases-node';
import { defaultExecutorConfigKey } from './executorConfig';
import { SUPERVISOR_SOURCE } from './commandSupervisor';
import { OutputTail } from './OutputTail';

const DEFAULT_TIMEOUT = { minutes: 10 };
const DEFAULT_KILL_GRACE_MS = 5_000;
/** How often what a running command printed so far is put on its deployment. */
const PROGRESS_INTERVAL_MS = 1_000;
/**
 * How long to wait, once the command has exited, for its output pipes to
 * close: a background process it started may hold them open indefinitely.
 */
const OUTPUT_DRAIN_MS = 1_000;
/**
 * On POSIX each command runs under a supervisor in its own process group, so
 * that stopping it also stops whatever it started (a shell script's children,
 * for instance), and so that it dies with the backend (see commandSupervisor).
 */
const USE_PROCESS_GROUPS = process.platform !== 'win32';
const ABORTED_MESSAGE = 'deployment aborted';

interface CommandSettings {
  command: string[];
  cwd: string;
  timeoutMs: number;
  killGraceMs: number;
}

/** Commands still running when the backend exits are taken down with it. */
const runningProcesses = new Set<CommandProcess>();
let isExitHookInstalled = false;

function killRunningProcessesOnExit() {
  if (!isExitHookInstalled) {
    isExitHookInstalled = true;
    process.once('exit', () => {
      for (const running of runningProcesses) {
        running.kill('SIGKILL');
      }
    });
  }
}

/** One started command: its ending, and how to stop it for good. */
class CommandProcess {
  stopReason?: StopReason;
  readonly ended: Promise<CommandEnding>;
  private killTimer?: NodeJS.Timeout;

  static start(
    command: string[],
    options: {
      cwd: string;
      env: NodeJS.ProcessEnv;
      stdin: string;
      output: OutputTail;
      killGraceMs: number;
    },
  ): CommandProcess {
    const [program, ...args] = command;
    const child = USE_PROCESS_GROUPS
      ? spawn(process.execPath, ['-e', SUPERVISOR_SOURCE, program, ...args], {
          cwd: options.cwd,
          env: options.env,
          shell: false,
          stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
          detached: true,
        })
      : spawn(program, args, {
          cwd: options.cwd,
          env: options.env,
          shell: false,
          stdio: ['pipe', 'pipe', 'pipe'],
          windowsHide: true,
        });
    options.output.follow(child.stdout!);
    options.output.follow(child.stderr!);
    // A command that does not read its input closes the pipe early (EPIPE):
    // that is its own business, its exit code still decides.
    child.stdin!.on('error', () => {});
    child.stdin!.end(options.stdin);
    return new CommandProcess(child, options.killGraceMs);
  }

  private constructor(
    private readonly child: ChildProcess,
    private readonly killGraceMs: number,
  ) {
    runningProcesses.add(this);
    killRunningProcessesOnExit();
    this.ended = new Promise(resolve => {
      let drainTimer: NodeJS.Timeout | undefined;
      let startError: Error | undefined;
      child.on('error', error => {
        // Errors after a successful start (a failed kill) are not endings.
        if (child.pid === undefined) {
          resolve({ startError: error });
        }
      });
      const lifeline = child.stdio[3] as Readable | undefined;
      if (lifeline) {
        let report = '';
        lifeline.setEncoding('utf8');
        lifeline.on('data', chunk => (report += chunk));
        lifeline.on('end', () => {
          if (report) {
            startError = new Error(parseStartError(report));
          }
        });
        lifeline.on('error', () => {});
      }
      child.once('exit', () => {
        drainTimer = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
        }, OUTPUT_DRAIN_MS);
      });
      child.once('close', (code, signal) => {
        clearTimeout(drainTimer);
        resolve(startError ? { startError } : { code, signal });
      });
    });
  }

  /** SIGTERM now, SIGKILL after the grace period if it is still running. */
  stop(reason: StopReason): void {
    if (this.stopReason) {
      return;
    }
    this.stopReason = reason;
    this.kill('SIGTERM');
    this.killTimer = setTimeout(() => this.kill('SIGKILL'), this.killGraceMs);
  }

  /** Call once `ended` has settled. */
  cleanUp(): void {
    clearTimeout(this.killTimer);
    runningProcesses.delete(this);
    if (this.stopReason) {
      // A stopped command may have left processes behind in its group.
      this.kill('SIGKILL');
    }
  }

  kill(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined) {
      return;
    }
    try {
      if (USE_PROCESS_GROUPS) {
        process.kill(-pid, signal);
      } else {
        this.child.kill(signal);
      }
    } catch {
      // Already gone.
    }
  }
}

/**
 * Runs a configured argv, without a shell, for each deployment: the payload
 * as JSON on stdin, its key fields in `IMMUTABLE_RELEASES_*` environment
 * variables. Exit code 0 means the deployment succeeded.
 */
export class CommandExecutor implements DeploymentExecutor {
  static create(options: {
    name: string;
    config: Config;
    /** The directory commands run in, and `cwd` is resolved against. */
    rootDir: string;
    /** Where the definition lives in app-config, for error messages. */
    configKey?: string;
    /** Time between SIGTERM and SIGKILL when stopping a command. */
    killGraceMs?: number;
  }): CommandExecutor {
    const { config, rootDir } = options;
    const configKey =
      options.configKey ?? defaultExecutorConfigKey(options.name);
    return new CommandExecutor({
      command: readCommand(config, configKey),
      cwd: resolvePath(
        rootDir,
        readOptionalString(config, 'cwd', configKey) ?? '.',
      ),
      timeoutMs: readPositiveDurationMs(config, {
        key: 'timeout',
        configKey,
        defaultValue: DEFAULT_TIMEOUT,
      }),
      killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    });
  }

  private constructor(private readonly settings: CommandSettings) {}

  async deploy(context: DeploymentContext): Promise<DeploymentOutcome> {
    const { payload, signal } = context;
    const { command, cwd, timeoutMs, killGraceMs } = this.settings;
    if (signal.aborted) {
      return { status: 'failed', message: ABORTED_MESSAGE };
    }

    const output = new OutputTail();
    const commandProcess = CommandProcess.start(command, {
      cwd,
      env: { ...process.env, ...deploymentEnvironment(payload) },
      stdin: JSON.stringify(payload),
      output,
      killGraceMs,
    });
    const timeout = setTimeout(() => commandProcess.stop('timeout'), timeoutMs);
    const reporting = setInterval(
      () => context.reportProgress({ output: output.toString() }),
      PROGRESS_INTERVAL_MS,
    );
    const onAbort = () => commandProcess.stop('aborted');
    signal.addEventListener('abort', onAbort, { once: true });

    try {
      const ending = await commandProcess.ended;
      if ('startError' in ending) {
        return {
          status: 'failed',
          message: `could not start command "${command[0]}" in ${cwd}: ${ending.startError.message}`,
        };
      }
      return {
        ...describeEnding(ending, commandProcess.stopReason, timeoutMs),
        output: output.toString(),
      };
    } finally {
      clearTimeout(timeout);
      clearInterval(reporting);
      signal.removeEventListener('abort', onAbort);
      commandProcess.cleanUp();
    }
  }
}

function describeEnding(
  ending: { code: number | null; signal: NodeJS.Signals | null },
  stopReason: StopReason | undefined,
  timeoutMs: number,
): Pick<DeploymentOutcome, 'status' | 'message'> {
  if (stopReason === 'timeout') {
    return {
      status: 'failed',
      message: `command timed out after ${describeDuration(timeoutMs)}`,
    };
  }
  if (stopReason === 'aborted') {
    return { status: 'failed', message: ABORTED_MESSAGE };
  }
  if (ending.code === 0) {
    return { status: 'succeeded' };
  }
  if (ending.code !== null) {
    return {
      status: 'failed',
      message: `command exited with code ${ending.code}`,
    };
  }
  return {
    status: 'failed',
    message: `command was killed by ${ending.signal}`,
  };
}

/** The variables a command finds beside the JSON on its stdin (contract). */
function deploymentEnvironment(
  payload: DeploymentPayload,
): Record<string, string> {
  return {
    IMMUTABLE_RELEASES_DEPLOYMENT_ID: payload.deploymentId,
    IMMUTABLE_RELEASES_KIND: payload.kind,
    IMMUTABLE_RELEASES_ENTITY_REF: payload.entityRef,
    IMMUTABLE_RELEASES_ENVIRONMENT: payload.environment,
    IMMUTABLE_RELEASES_VERSION: payload.release.version,
    IMMUTABLE_RELEASES_DIGEST: payload.release.artifact.digest,
    IMMUTABLE_RELEASES_ARTIFACT_REF: payload.artifactRef,
  };
}

function readCommand(config: Config, configKey: string): string[] {
  const command = config.getOptional('command');
  const isValid =
    Array.isArray(command) &&
    command.length > 0 &&
    command.every(part => typeof part === 'string') &&
    command[0] !== '';
  if (!isValid) {
    throw new Error(`${configKey}.command must be a non-empty list of strings`);
  }
  return command as string[];
}

function readOptionalString(
  config: Config,
  key: string,
  configKey: string,
): string | undefined {
  const value = config.getOptional(key);
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${configKey}.${key} must be a non-empty string`);
  }
  return value;
}

type StopReason = 'timeout' | 'aborted';

type CommandEnding =
  | { startError: Error }
  | { code: number | null; signal: NodeJS.Signals | null };

/** What the supervisor wrote on the lifeline when the command could not start. */
function parseStartError(report: string): string {
  try {
    return String(JSON.parse(report).startError);
  } catch {
    return report;
  }
}
