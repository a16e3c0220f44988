#!/usr/bin/env node
// Starts packages/backend with app-config.yaml and app-config.demo.yaml (the
// demo's sign-in and CI token), then any `--config FILE` given on the command
// line (resolved from where yarn was run), in that order.
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const invokedFrom = process.env.INIT_CWD || process.cwd();
const args = process.argv.slice(2);
const configArgs = ['app-config.yaml', 'app-config.demo.yaml'].flatMap(file => [
  '--config',
  path.join(root, file),
]);
const passThrough = [];
for (let i = 0; i < args.length; i++) {
  const match = /^--config(?:=(.*))?$/.exec(args[i]);
  if (match) {
    const file = match[1] ?? args[++i];
    if (!file) {
      console.error('--config needs a file');
      process.exit(2);
    }
    configArgs.push('--config', path.resolve(invokedFrom, file));
  } else {
    passThrough.push(args[i]);
  }
}

const child = spawn(
  'yarn',
  ['workspace', 'backend', 'start', ...configArgs, ...passThrough],
  { cwd: root, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(signal ? 1 : code ?? 0));
