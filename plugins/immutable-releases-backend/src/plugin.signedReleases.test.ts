import type { Release } from 'backstage-plugin-immutable-releases-common';
import request from 'supertest';
import { createTestDatabases } from '@internal/test-utils';
import {
  ALICE,
  BASE,
  CI,
  ENTITY_REF,
  gate,
  pluginBackendStarter,
  promoteToStaging,
  register,
  Server,
  waitForCurrent,
  waitForDeployment,
} from './__testUtils__/pluginBackend';
import {
  BUILDER_ID,
  corruptSignature,
  generateSigningKey,
  provenanceStatement,
  signBundle,
  statement,
} from './__testUtils__/sigstoreBundles';

jest.setTimeout(90_000);

const databases = createTestDatabases();
const ci = generateSigningKey('ci');
const stranger = generateSigningKey('stranger');
const CHECKS = [
  { name: 'unit-tests', status: 'passed' },
  { name: 'security-scan', status: 'passed' },
];

/** Production verifies signatures against the `ci` key and wants provenance from BUILDER_ID. */
const SIGNED_PRODUCTION = {
  production: {
    signature: {
      keys: [{ name: 'ci', publicKey: ci.publicKey }],
      requireTransparencyLog: false,
    },
    provenance: { builderIds: [BUILDER_ID], sourceMustMatch: true },
  },
};

/** Provenance of the release as the test backend registers it: its commit is `c-<version>`. */
function provenanceOf(
  release: Release,
  overrides: { builderId?: string; commit?: string } = {},
) {
  return provenanceStatement({
    digest: release.artifact.digest,
    repository: release.source.repository,
    commit: release.source.commit,
    ...overrides,
  });
}

async function attest(server: Server, release: Release, bundle: unknown) {
  const response = await request(server)
    .post(`${BASE}/v1/releases/${release.id}/attestations`)
    .set('Authorization', CI)
    .send({ bundle });
  expect(response.status).toBe(201);
}

function promote(server: Server, release: Release, dryRun = false) {
  return request(server)
    .post(`${BASE}/v1/promotions`)
    .set('Authorization', ALICE)
    .send({
      entityRef: ENTITY_REF,
      releaseId: release.id,
      environment: 'production',
      ...(dryRun ? { dryRun } : {}),
    });
}

async function dryRunGates(server: Server, release: Release) {
  const response = await promote(server, release, true);
  expect(response.status).toBe(200);
  return response.body.gates as Array<{
    name: string;
    passed: boolean;
    message: string;
  }>;
}

describe.each(databases.eachSupportedId())(
  'signed releases on %p',
  databaseId => {
    const start = pluginBackendStarter(databases, databaseId);

    it('refuses a release without a valid attestation into production, and accepts one signed with the configured key by an allowed builder from its own commit', async () => {
      const { server } = await start({ environmentChanges: SIGNED_PRODUCTION });
      const release = await register(server, '1.0.0', { checks: CHECKS });
      await promoteToStaging(server, release);

      const refused = await promote(server, release);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toMatch(/signature/);
      expect(gate(refused.body.gates, 'signature')).toEqual({
        name: 'signature',
        passed: false,
        message:
          'release 1.0.0 has no attestation; production requires one signed with a configured key (ci)',
      });
      expect(gate(refused.body.gates, 'provenance')).toMatchObject({
        passed: false,
        message:
          'release 1.0.0 has no SLSA provenance attestation verified with a configured key',
      });

      // Signed by a key production does not trust, or corrupted.
      await attest(
        server,
        release,
        signBundle(provenanceOf(release), stranger),
      );
      await attest(
        server,
        release,
        corruptSignature(
          signBundle(
            statement({ subjectDigests: [release.artifact.digest] }),
            ci,
          ),
        ),
      );
      let gates = await dryRunGates(server, release);
      expect(gate(gates, 'signature').passed).toBe(false);
      expect(gate(gates, 'signature').message).toMatch(
        /^no attestation of release 1\.0\.0 verifies with a configured key \(ci\):\n- https:\/\/slsa\.dev\/provenance\/v1 \(.+\) does not verify with any configured key \(ci: signature verification failed\)\n- https:\/\/example\.com\/test\/v1 \(.+\) does not verify/,
      );

      // Signed with the key, but built elsewhere or from another commit.
      await attest(
        server,
        release,
        signBundle(
          provenanceOf(release, { builderId: 'https://evil.example.com/b' }),
          ci,
        ),
      );
      await attest(
        server,
        release,
        signBundle(provenanceOf(release, { commit: 'c-other' }), ci),
      );
      gates = await dryRunGates(server, release);
      expect(gate(gates, 'signature')).toMatchObject({
        passed: true,
        message:
          'attestation https://slsa.dev/provenance/v1 verified with key ci',
      });
      expect(gate(gates, 'provenance').passed).toBe(false);
      expect(gate(gates, 'provenance').message).toContain(
        'was built by https://evil.example.com/b, which is not an allowed builder',
      );
      expect(gate(gates, 'provenance').message).toContain(
        "was built from https://github.com/acme/checkout@c-other, not the release's https://github.com/acme/checkout@c-1.0.0",
      );
      const stillRefused = await promote(server, release);
      expect(stillRefused.status).toBe(409);
      expect(stillRefused.body.error.message).toMatch(/provenance/);

      await attest(server, release, signBundle(provenanceOf(release), ci));
      gates = await dryRunGates(server, release);
      expect(gate(gates, 'provenance')).toMatchObject({
        passed: true,
        message: expect.stringContaining(
          `built by ${BUILDER_ID} from https://github.com/acme/checkout@c-1.0.0`,
        ),
      });
      const accepted = await promote(server, release);
      expect(accepted.status).toBe(202);
      const deployment = await waitForDeployment(server, accepted.body.id);
      expect(deployment.status).toBe('succeeded');
      expect(
        deployment.gates.filter(g =>
          ['signature', 'provenance'].includes(g.name),
        ),
      ).toEqual([
        expect.objectContaining({ name: 'signature', passed: true }),
        expect.objectContaining({ name: 'provenance', passed: true }),
      ]);
    });

    it('lets a release registered with its attestation through, and rolls back without the two gates', async () => {
      const { server } = await start({ environmentChanges: SIGNED_PRODUCTION });
      const toProduction = async (version: string) => {
        const unsigned = await register(server, version, { checks: CHECKS });
        const signedBundle = signBundle(provenanceOf(unsigned), ci);
        // The identical registration with the attestation appends it.
        const response = await request(server)
          .post(`${BASE}/v1/releases`)
          .set('Authorization', CI)
          .send({
            entityRef: ENTITY_REF,
            version,
            artifact: unsigned.artifact,
            source: unsigned.source,
            labels: unsigned.labels,
            checks: CHECKS,
            attestations: [{ bundle: signedBundle }],
          });
        expect(response.status).toBe(200);
        expect(response.body.attestations).toHaveLength(1);
        await promoteToStaging(server, unsigned);
        const promoted = await promote(server, unsigned);
        expect(promoted.status).toBe(202);
        await waitForCurrent(server, 'production', unsigned.id);
        return unsigned;
      };
      const first = await toProduction('1.0.0');
      await toProduction('1.1.0');

      const rollback = await request(server)
        .post(`${BASE}/v1/rollbacks`)
        .set('Authorization', ALICE)
        .send({
          entityRef: ENTITY_REF,
          environment: 'production',
          reason: 'bad release',
        });
      expect(rollback.status).toBe(202);
      expect(rollback.body.releaseId).toBe(first.id);
      expect(rollback.body.gates.map((g: { name: string }) => g.name)).toEqual([
        'not-revoked',
      ]);
    });
  },
);
