#!/usr/bin/env node
// `yarn test`: every test once, without watch mode. The database tests run on
// SQLite always and on each PostgreSQL whose connection string variable is set;
// without one, this says at the end that PostgreSQL was skipped.
const { spawn } = require('node:child_process');
const path = require('node:path');

const POSTGRES_VARIABLE =
  /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/;
const postgresConfigured = Object.keys(process.env).some(
  name => POSTGRES_VARIABLE.test(name) && process.env[name],
);

const child = spawn(
  'backstage-cli',
  ['repo', 'test', ...process.argv.slice(2)],
  {
    cwd: path.resolve(__dirname, '..'),
    stdio: 'inherit',
    env: { ...process.env, CI: 'true' },
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (!postgresConfigured) {
    console.log(
      "PostgreSQL skipped: the database tests ran on SQLite only. Set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://USER@HOST:5432 (or another version's variable) to run them on PostgreSQL too.",
    );
  }
  process.exit(signal ? 1 : code ?? 0);
});
