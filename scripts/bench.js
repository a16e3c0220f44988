#!/usr/bin/env node
/*
 * `yarn bench`: runs each benchmark suite in turn with the flags it
 * understands, passes its result lines through, and ends with one summary
 * line over all their targets: `bench: N of M targets hold`. With
 * `--report FILE` it also writes a chart of the run (benchReport.js).
 */
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { startRecording, takeReportFlag } = require('./benchReport');

const ROOT = path.resolve(__dirname, '..');
const SUMMARY = /^bench: (\d+) of (\d+) targets hold$/;

/** Each suite, the paths it measures, and the flags it takes. */
const SUITES = [
  {
    file: 'plugins/immutable-releases-backend/bench/bench.ts',
    paths: [
      'register',
      'history',
      'environments',
      'promotion',
      'events',
      'observations',
      'fleet',
      'approvals',
    ],
    flags: [
      '--scale',
      '--pg',
      '--keep',
      '--concurrency',
      '--samples',
      '--warmup',
      '--registrations',
    ],
  },
  {
    file: 'plugins/immutable-releases-backend-module-kubernetes/bench/driftSweep.ts',
    paths: ['drift-sweep'],
    flags: ['--scale', '--pg', '--keep'],
  },
  {
    file: 'plugins/immutable-releases-backend/bench/browser/browserBench.ts',
    paths: ['browser'],
    flags: [
      '--scale',
      '--pg',
      '--keep',
      '--rounds',
      '--app-port',
      '--backend-port',
      '--chromium',
    ],
  },
];
const VALUELESS = new Set(['--keep', '--help', '-h']);

function parse(argv) {
  const flags = [];
  let only = process.env.BENCH_ONLY || undefined;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') {
      return { help: true };
    }
    const value = VALUELESS.has(flag) ? undefined : inline ?? argv[++i];
    if (flag === '--only') {
      only = value;
    } else if (!SUITES.some(suite => suite.flags.includes(flag))) {
      throw new Error(`unknown flag '${flag}' (see --help)`);
    } else {
      flags.push({ flag, value });
    }
  }
  const selected = only?.split(',').map(p => p.trim());
  const known = SUITES.flatMap(suite => suite.paths);
  const unknown = selected?.filter(p => !known.includes(p)) ?? [];
  if (unknown.length > 0) {
    throw new Error(
      `--only: unknown path '${unknown[0]}' (paths: ${known.join(', ')})`,
    );
  }
  return { flags, selected };
}

function argsFor(suite, { flags, selected }) {
  const paths = suite.paths.filter(p => !selected || selected.includes(p));
  if (paths.length === 0) {
    return undefined;
  }
  const args = flags
    .filter(({ flag }) => suite.flags.includes(flag))
    .flatMap(({ flag, value }) =>
      value === undefined ? [flag] : [flag, value],
    );
  return selected ? [...args, '--only', paths.join(',')] : args;
}

function run(suite, args) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.BENCH_ONLY;
    const child = spawn(
      process.execPath,
      [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        path.join(ROOT, suite.file),
        ...args,
      ],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const totals = { holding: 0, targets: 0, summarized: false };
    readline.createInterface({ input: child.stdout }).on('line', line => {
      const summary = SUMMARY.exec(line);
      if (summary) {
        totals.holding += Number(summary[1]);
        totals.targets += Number(summary[2]);
        totals.summarized = true;
      } else {
        process.stdout.write(`${line}\n`);
      }
    });
    child.on('error', reject);
    child.on('close', code => resolve({ code, ...totals }));
  });
}

async function main() {
  const { reportFile, argv } = takeReportFlag(process.argv.slice(2));
  const options = parse(argv);
  if (options.help) {
    process.stderr.write(
      `usage: yarn bench [--scale N] [--pg postgresql://…] [--only path,path] [--keep] [--report FILE.html] [suite flags]\n` +
        SUITES.map(
          s =>
            `  ${s.file}: paths ${s.paths.join(', ')}; flags ${s.flags.join(
              ', ',
            )}`,
        ).join('\n') +
        '\n',
    );
    return 0;
  }
  let holding = 0;
  let targets = 0;
  let failed = false;
  const startedAt = new Date().toISOString();
  const recording = reportFile ? startRecording() : undefined;
  for (const suite of SUITES) {
    const args = argsFor(suite, options);
    if (!args) {
      continue;
    }
    recording?.startSuite(suite.file);
    const result = await run(suite, args);
    holding += result.holding;
    targets += result.targets;
    if (result.code !== 0) {
      process.stderr.write(`bench: ${suite.file} exited with ${result.code}\n`);
      failed = true;
    }
    // A suite that crashed before its summary line still counts: as one
    // target that does not hold, so the summary cannot read N of N.
    if (!result.summarized) {
      targets += 1;
    }
  }
  process.stdout.write(`bench: ${holding} of ${targets} targets hold\n`);
  if (recording) {
    recording.writeReport(reportFile, {
      holding,
      targets,
      startedAt,
      args: argv,
    });
    process.stderr.write(`bench: wrote the report to ${reportFile}\n`);
  }
  return failed ? 1 : 0;
}

main().then(
  code => process.exit(code),
  error => {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exit(1);
  },
);
