/** Parameters of the browser benchmark: the `yarn bench` flags it shares, and its own. */
export interface BrowserBenchOptions {
  /** Multiplies the measured entity's history (1 = 100,000 releases, 10,000 deployments). */
  scale: number;
  postgresUrl?: string;
  keep: boolean;
  /** Measured cold page loads of each page, after one warm-up load each. */
  rounds: number;
  /** Where the production build of the demo app is served, and the demo backend listens. */
  appPort: number;
  backendPort: number;
  chromium: string;
}

const USAGE = `usage: browserBench.ts [--scale N] [--pg postgresql://…] [--keep] [--rounds N]
                       [--app-port N] [--backend-port N] [--chromium PATH] [--only browser]
environment: BENCH_SCALE, BENCH_POSTGRES_URL, BENCH_ROUNDS, BENCH_APP_PORT,
             BENCH_BACKEND_PORT, BENCH_CHROMIUM`;

export function parseBrowserBenchOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
): BrowserBenchOptions {
  const given = new Map<string, string>();
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') {
      process.stderr.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (flag === '--keep') {
      keep = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) {
      throw new Error(`${flag} needs a value\n${USAGE}`);
    }
    given.set(flag, value);
  }
  for (const flag of given.keys()) {
    if (
      ![
        '--scale',
        '--pg',
        '--rounds',
        '--app-port',
        '--backend-port',
        '--chromium',
        '--only',
      ].includes(flag)
    ) {
      throw new Error(`unexpected argument '${flag}'\n${USAGE}`);
    }
  }
  const only = given.get('--only');
  if (only && only !== 'browser') {
    throw new Error(`--only: this suite measures 'browser' only\n${USAGE}`);
  }
  const number = (flag: string, variable: string, fallback: number) => {
    const raw = given.get(flag) ?? env[variable];
    if (raw === undefined || raw === '') {
      return fallback;
    }
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) {
      throw new Error(`${flag} must be a positive number, got '${raw}'`);
    }
    return value;
  };
  const postgresUrl =
    given.get('--pg') ?? (env.BENCH_POSTGRES_URL || undefined);
  if (postgresUrl && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
    throw new Error(`--pg must be a postgresql:// URL, got '${postgresUrl}'`);
  }
  return {
    scale: number('--scale', 'BENCH_SCALE', 1),
    postgresUrl,
    keep,
    rounds: Math.round(number('--rounds', 'BENCH_ROUNDS', 5)),
    // Not 3000/7007: the demo and the end-to-end test use those.
    appPort: Math.round(number('--app-port', 'BENCH_APP_PORT', 3300)),
    backendPort: Math.round(
      number('--backend-port', 'BENCH_BACKEND_PORT', 7307),
    ),
    chromium:
      given.get('--chromium') ?? (env.BENCH_CHROMIUM || '/usr/bin/chromium'),
  };
}
