import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
const APP_DIR = path.join(REPO_ROOT, 'packages/app');

/**
 * The production build of the demo app (`backstage-cli package build` in
 * packages/app, as a portal is deployed), not the development server. Always
 * built afresh: it takes seconds, and a cache would have to know every
 * workspace package and dependency it bundles. Its output goes to stderr.
 */
export async function buildDemoApp(): Promise<{
  distDir: string;
  seconds: number;
}> {
  const started = performance.now();
  const cli = require.resolve('@backstage/cli/bin/backstage-cli', {
    paths: [APP_DIR],
  });
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'package', 'build'], {
      cwd: APP_DIR,
      stdio: ['ignore', process.stderr, process.stderr],
    });
    child.on('error', reject);
    child.on('exit', code =>
      code === 0
        ? resolve()
        : reject(new Error(`building packages/app exited with ${code}`)),
    );
  });
  const distDir = path.join(APP_DIR, 'dist');
  if (!fs.existsSync(path.join(distDir, 'index.html'))) {
    throw new Error(`the app build left no ${distDir}/index.html`);
  }
  return { distDir, seconds: (performance.now() - started) / 1000 };
}
