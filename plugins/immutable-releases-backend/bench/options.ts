/** Command-line and environment parameters of `yarn bench`. */
export interface BenchOptions {
  /** Multiplies every data size (1 = the sizes of the issue: 1,000,000 releases). */
  scale: number;
  /** PostgreSQL connection string; SQLite in a temporary directory when absent. */
  postgresUrl?: string;
  /** Concurrent clients of the throughput paths (register, observations). */
  concurrency: number;
  /** Requests measured per latency path (after `warmup` unmeasured ones). */
  samples: number;
  warmup: number;
  /** Requests measured on the register path. */
  registrations: number;
  /** Paths to run; all by default. */
  only?: Set<string>;
  /** Keep the temporary SQLite directory or PostgreSQL database afterwards. */
  keep: boolean;
}

export const PATHS = [
  'register',
  'history',
  'environments',
  'promotion',
  'events',
  'observations',
  'fleet',
  'approvals',
] as const;

const USAGE = `usage: yarn bench [--scale N] [--pg postgresql://user@host:port[/db]]
                  [--concurrency N] [--samples N] [--warmup N] [--registrations N]
                  [--only path,path] [--keep]
environment: BENCH_SCALE, BENCH_POSTGRES_URL, BENCH_CONCURRENCY, BENCH_SAMPLES,
             BENCH_WARMUP, BENCH_REGISTRATIONS, BENCH_ONLY
paths: ${PATHS.join(', ')}`;

export function parseOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
): BenchOptions {
  const given = new Map<string, string>();
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      process.stderr.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (arg === '--keep') {
      keep = true;
      continue;
    }
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!match) {
      throw new Error(`unexpected argument '${arg}'\n${USAGE}`);
    }
    const value = match[2] ?? argv[++i];
    if (value === undefined) {
      throw new Error(`--${match[1]} needs a value\n${USAGE}`);
    }
    given.set(match[1], value);
  }
  const pick = (flag: string, variable: string) =>
    given.get(flag) ?? env[variable];
  const number = (flag: string, variable: string, fallback: number) => {
    const raw = pick(flag, variable);
    if (raw === undefined || raw === '') {
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`--${flag} must be a positive number, got '${raw}'`);
    }
    return value;
  };
  for (const flag of given.keys()) {
    if (
      ![
        'scale',
        'pg',
        'concurrency',
        'samples',
        'warmup',
        'registrations',
        'only',
      ].includes(flag)
    ) {
      throw new Error(`unknown option --${flag}\n${USAGE}`);
    }
  }

  const scale = number('scale', 'BENCH_SCALE', 1);
  const onlyRaw = pick('only', 'BENCH_ONLY');
  const only = onlyRaw
    ? new Set(onlyRaw.split(',').map(p => p.trim()))
    : undefined;
  for (const path of only ?? []) {
    if (!(PATHS as readonly string[]).includes(path)) {
      throw new Error(`--only: unknown path '${path}'\n${USAGE}`);
    }
  }
  const postgresUrl = pick('pg', 'BENCH_POSTGRES_URL') || undefined;
  if (postgresUrl && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
    throw new Error(`--pg must be a postgresql:// URL, got '${postgresUrl}'`);
  }
  return {
    scale,
    postgresUrl,
    concurrency: Math.round(number('concurrency', 'BENCH_CONCURRENCY', 16)),
    samples: Math.round(
      number(
        'samples',
        'BENCH_SAMPLES',
        Math.max(50, Math.round(1000 * Math.min(1, scale * 10))),
      ),
    ),
    warmup: Math.round(number('warmup', 'BENCH_WARMUP', 50)),
    registrations: Math.round(
      number(
        'registrations',
        'BENCH_REGISTRATIONS',
        Math.max(200, Math.round(5000 * scale)),
      ),
    ),
    only,
    keep,
  };
}

/** The data sizes of one run, from `scale`. */
export function dataSizes(scale: number) {
  const releases = Math.max(100, Math.round(1_000_000 * scale));
  return {
    releases,
    /** Releases of the entity whose history page is measured (a tenth of all). */
    bigEntityReleases: Math.round(releases / 10),
    /** Releases of the entity it is compared with (a thousandth of all). */
    smallEntityReleases: Math.max(1, Math.round(releases / 1000)),
    entities: Math.max(3, Math.round(1000 * scale)),
    /** Past deployments of the entity whose environments are measured. */
    deployments: Math.max(30, Math.round(10_000 * scale)),
    /** Audit events of the entity whose audit trail is measured. */
    events: Math.max(100, Math.round(100_000 * scale)),
    observations: Math.max(1000, Math.round(10_000 * Math.min(1, scale * 10))),
    /** Entities of the fleet page, each with three environments and a production promotion waiting for approvals. */
    fleetEntities: Math.max(200, Math.round(10_000 * scale)),
  };
}
