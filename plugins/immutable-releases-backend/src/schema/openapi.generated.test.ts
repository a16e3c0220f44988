import { spawnSync } from 'node:child_process';
import path from 'node:path';

const GENERATOR = path.resolve(
  __dirname,
  '../../../../scripts/generate-openapi.js',
);

describe('the TypeScript generated from openapi.yaml', () => {
  it('is what the document gives now (else run `corepack yarn generate`)', () => {
    const result = spawnSync(process.execPath, [GENERATOR, '--check'], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  }, 60_000);
});
