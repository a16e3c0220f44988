import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { generateKeyPairSync } from 'node:crypto';
import { generateSigningKey } from '../__testUtils__/sigstoreBundles';
import { readPipelines } from './pipelineConfig';

const KEY = 'immutableReleases.pipelines.default.environments[0]';
const ci = generateSigningKey('ci');

function readProduction(gates: JsonObject) {
  const pipelines = readPipelines(
    new ConfigReader({
      immutableReleases: {
        pipelines: {
          default: {
            environments: [{ name: 'production', executor: 'local', ...gates }],
          },
        },
      },
    }),
    new Set(['local']),
  );
  return pipelines.get('default')!.environments[0];
}

describe('signature and provenance configuration', () => {
  it('reads keys and provenance rules, sourceMustMatch by default', () => {
    const production = readProduction({
      signature: { keys: [{ name: 'ci', publicKey: ci.publicKey }] },
      provenance: { builderIds: ['https://ci.example.com/builder'] },
    });
    expect(production.signature?.keys.map(k => k.name)).toEqual(['ci']);
    expect(production.signature?.keys[0].publicKey.asymmetricKeyType).toBe(
      'ec',
    );
    expect(production.provenance).toEqual({
      builderIds: ['https://ci.example.com/builder'],
      sourceMustMatch: true,
    });
  });

  it('leaves both gates unconfigured when absent', () => {
    expect(readProduction({})).toMatchObject({
      signature: null,
      provenance: null,
    });
  });

  const privateKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();

  it.each([
    [
      'no keys',
      { signature: { keys: [] } },
      `${KEY}.signature.keys must list at least one public key`,
    ],
    [
      'an unparseable PEM',
      {
        signature: {
          keys: [
            {
              name: 'ci',
              publicKey:
                '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----',
            },
          ],
        },
      },
      `${KEY}.signature.keys[0].publicKey is not a readable PEM public key`,
    ],
    [
      'something that is not PEM',
      { signature: { keys: [{ name: 'ci', publicKey: 'ssh-ed25519 AAAA' }] } },
      `${KEY}.signature.keys[0].publicKey must be a PEM public key`,
    ],
    [
      'a private key',
      { signature: { keys: [{ name: 'ci', publicKey: privateKeyPem }] } },
      `${KEY}.signature.keys[0].publicKey is a private key`,
    ],
    [
      'a key name used twice',
      {
        signature: {
          keys: [
            { name: 'ci', publicKey: ci.publicKey },
            { name: 'ci', publicKey: ci.publicKey },
          ],
        },
      },
      `${KEY}.signature.keys[1].name 'ci' is used twice`,
    ],
    [
      'a required transparency log',
      {
        signature: {
          keys: [{ name: 'ci', publicKey: ci.publicKey }],
          requireTransparencyLog: true,
        },
      },
      `${KEY}.signature.requireTransparencyLog: true is not supported yet`,
    ],
    [
      'provenance without signature keys',
      { provenance: { builderIds: ['https://ci.example.com/builder'] } },
      `${KEY}.provenance needs ${KEY}.signature`,
    ],
    [
      'provenance without builders',
      {
        signature: { keys: [{ name: 'ci', publicKey: ci.publicKey }] },
        provenance: { builderIds: [] },
      },
      `${KEY}.provenance.builderIds must list at least one builder id`,
    ],
  ])('refuses %s at start-up, naming the key', (_what, gates, message) => {
    expect(() => readProduction(gates as JsonObject)).toThrow(message);
  });
});
