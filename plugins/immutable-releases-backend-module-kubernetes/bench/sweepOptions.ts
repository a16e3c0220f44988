/** Parameters of the drift sweep bench: the `yarn bench` flags it shares. */
export interface SweepOptions {
  /** Entities in the fleet: 5,000 × scale, at least 100. */
  entities: number;
  postgresUrl?: string;
  keep: boolean;
}

const USAGE =
  'usage: driftSweep.ts [--scale N] [--pg postgresql://…] [--keep] [--only drift-sweep]';

export function parseSweepOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
): SweepOptions {
  let scale = Number(env.BENCH_SCALE || 1);
  let postgresUrl = env.BENCH_POSTGRES_URL || undefined;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--scale') {
      scale = Number(value());
    } else if (flag === '--pg') {
      postgresUrl = value();
    } else if (flag === '--keep') {
      keep = true;
    } else if (flag === '--only') {
      value();
    } else {
      throw new Error(`unexpected argument '${argv[i]}'\n${USAGE}`);
    }
  }
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new Error(`--scale must be a positive number\n${USAGE}`);
  }
  if (postgresUrl && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
    throw new Error(`--pg must be a postgresql:// URL, got '${postgresUrl}'`);
  }
  return {
    entities: Math.max(100, Math.round(5000 * scale)),
    postgresUrl,
    keep,
  };
}
