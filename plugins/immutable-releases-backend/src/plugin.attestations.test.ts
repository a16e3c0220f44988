import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestDatabases } from '@internal/test-utils';
import { digestOf } from './__testUtils__/testEngine';
import {
  ALICE,
  BASE,
  CI,
  CI_SUBJECT,
  ENTITY_REF,
  listEvents,
  listReleases,
  pluginBackendStarter,
  register,
  releaseBody,
} from './__testUtils__/pluginBackend';
import {
  generateSigningKey,
  provenanceStatement,
  signBundle,
  SLSA_PROVENANCE_V1,
  statement,
} from './__testUtils__/sigstoreBundles';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const key = generateSigningKey('ci');

describe.each(databases.eachSupportedId())('attestations on %p', databaseId => {
  const start = pluginBackendStarter(databases, databaseId);

  const attest = (server: any, releaseId: string, body: unknown) =>
    request(server)
      .post(`${BASE}/v1/releases/${releaseId}/attestations`)
      .set('Authorization', CI)
      .send(body as object);

  it('records an attestation, lists it, shows it on the release, and records the same bundle once', async () => {
    const { server } = await start();
    const release = await register(server, '1.0.0');
    const bundle = signBundle(
      provenanceStatement({ digest: release.artifact.digest }),
      key,
      { hint: 'ci-key' },
    );

    const recorded = await attest(server, release.id, { bundle });
    expect(recorded.status).toBe(201);
    expect(recorded.body).toEqual({
      id: expect.any(String),
      predicateType: SLSA_PROVENANCE_V1,
      subjectDigests: [release.artifact.digest],
      signer: { keyHint: 'ci-key' },
      recordedAt: expect.any(String),
      recordedBy: CI_SUBJECT,
    });

    const again = await attest(server, release.id, { bundle });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(recorded.body);

    const listed = await request(server)
      .get(`${BASE}/v1/releases/${release.id}/attestations`)
      .set('Authorization', ALICE);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: [recorded.body] });

    const shown = await request(server)
      .get(`${BASE}/v1/releases/${release.id}`)
      .set('Authorization', ALICE);
    expect(shown.body.attestations).toEqual([recorded.body]);
    expect((await listReleases(server)).items[0].attestations).toEqual([
      recorded.body,
    ]);

    const events = await listEvents(server);
    expect(events.items.filter(e => e.type === 'attestation.recorded')).toEqual(
      [
        expect.objectContaining({
          releaseId: release.id,
          actor: CI_SUBJECT,
          details: {
            version: '1.0.0',
            attestationId: recorded.body.id,
            predicateType: SLSA_PROVENANCE_V1,
            subjectDigests: [release.artifact.digest],
            signer: { keyHint: 'ci-key' },
          },
        }),
      ],
    );
  });

  it('refuses a statement whose subjects do not include the release digest, naming both', async () => {
    const { server } = await start();
    const release = await register(server, '1.0.0');
    const other = digestOf('other');
    const response = await attest(server, release.id, {
      bundle: signBundle(statement({ subjectDigests: [other] }), key),
    });
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('InputError');
    expect(response.body.error.message).toBe(
      `bundle: the statement's subjects (${other}) do not include the release digest ${release.artifact.digest}`,
    );
  });

  it('answers 404 for an unknown release', async () => {
    const { server } = await start();
    const response = await request(server)
      .get(`${BASE}/v1/releases/nope/attestations`)
      .set('Authorization', ALICE);
    expect(response.status).toBe(404);
  });

  it('stores attestations given at registration with the release, and a repeat records only new bundles', async () => {
    const { server } = await start();
    const digest = digestOf('1.0.0');
    const first = signBundle(statement({ subjectDigests: [digest] }), key);
    const second = signBundle(provenanceStatement({ digest }), key);
    const registration = (bundles: unknown[]) =>
      request(server)
        .post(`${BASE}/v1/releases`)
        .set('Authorization', CI)
        .send({
          ...releaseBody('1.0.0'),
          attestations: bundles.map(bundle => ({ bundle })),
        });

    const created = await registration([first, first]);
    expect(created.status).toBe(201);
    expect(created.body.attestations).toHaveLength(1);

    const identical = await registration([first]);
    expect(identical.status).toBe(200);
    expect(identical.body.attestations).toEqual(created.body.attestations);

    const more = await registration([first, second]);
    expect(more.status).toBe(200);
    expect(
      more.body.attestations.map((a: { predicateType: string }) => [
        a.predicateType,
      ]),
    ).toEqual([['https://example.com/test/v1'], [SLSA_PROVENANCE_V1]]);
    const recorded = (await listEvents(server)).items.filter(
      e => e.type === 'attestation.recorded',
    );
    expect(recorded).toHaveLength(2);
  });

  it('stores nothing when an attestation given at registration is refused', async () => {
    const { server } = await start();
    const digest = digestOf('1.0.0');
    const response = await request(server)
      .post(`${BASE}/v1/releases`)
      .set('Authorization', CI)
      .send({
        ...releaseBody('1.0.0'),
        checks: [{ name: 'unit-tests', status: 'passed' }],
        attestations: [
          { bundle: signBundle(statement({ subjectDigests: [digest] }), key) },
          {
            bundle: signBundle(
              statement({ subjectDigests: [digestOf('other')] }),
              key,
            ),
          },
        ],
      });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(
      /^attestations\[1\]\.bundle: the statement's subjects/,
    );
    expect((await listReleases(server)).items).toEqual([]);
    expect((await listEvents(server)).items).toEqual([]);
  });

  describe('refuses a malformed bundle with 400 naming the field', () => {
    const digest = digestOf('1.0.0');
    const valid = () =>
      signBundle(statement({ subjectDigests: [digest] }), key);
    const payloadOf = (value: string) => ({
      ...valid(),
      dsseEnvelope: {
        ...valid().dsseEnvelope,
        payload: Buffer.from(value).toString('base64'),
      },
    });
    const { dsseEnvelope: _omitted, ...withoutEnvelope } = valid();
    it.each([
      ['a string', 'not a bundle', /^request\/body\/bundle must be object/],
      [
        'an unknown media type',
        { ...valid(), mediaType: 'application/json' },
        /^bundle\.mediaType 'application\/json' is not a Sigstore bundle media type/,
      ],
      [
        'no DSSE envelope',
        {
          ...withoutEnvelope,
          messageSignature: { signature: 'AAAA' },
        },
        /^bundle\.dsseEnvelope is missing.*messageSignature/,
      ],
      [
        'a payload type other than in-toto',
        signBundle(statement({ subjectDigests: [digest] }), key, {
          payloadType: 'application/json',
        }),
        /^bundle\.dsseEnvelope\.payloadType must be 'application\/vnd\.in-toto\+json', got "application\/json"/,
      ],
      [
        'a statement that is not JSON',
        payloadOf('{not json'),
        /^bundle\.dsseEnvelope\.payload is not a JSON in-toto statement/,
      ],
      [
        'a statement without subjects',
        payloadOf(
          JSON.stringify({ ...statement({ subjectDigests: [] }), subject: [] }),
        ),
        /^bundle\.dsseEnvelope\.payload: the statement has no subjects/,
      ],
      [
        'no signature',
        {
          ...valid(),
          dsseEnvelope: { ...valid().dsseEnvelope, signatures: [] },
        },
        /^bundle\.content\.dsseEnvelope\.signatures: not a valid Sigstore bundle/,
      ],
      [
        'no verification material',
        { ...valid(), verificationMaterial: undefined },
        /^bundle\.verificationMaterial: not a valid Sigstore bundle/,
      ],
    ])('%s', async (_case, bundle, message) => {
      const { server } = await start();
      const release = await register(server, '1.0.0');
      const response = await attest(server, release.id, { bundle });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
      const listed = await request(server)
        .get(`${BASE}/v1/releases/${release.id}/attestations`)
        .set('Authorization', ALICE);
      expect(listed.body).toEqual({ items: [] });
    });
  });

  it('needs the permission to create releases on the entity', async () => {
    let denyCreate = false;
    const permissions = mockServices.permissions.mock({
      authorize: async requests =>
        requests.map(r => ({
          result:
            denyCreate &&
            r.permission.name === 'immutable-releases.release.create'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
    });
    const { server } = await start({ permissions: permissions.factory });
    const release = await register(server, '1.0.0');
    denyCreate = true;
    const response = await attest(server, release.id, {
      bundle: signBundle(
        statement({ subjectDigests: [release.artifact.digest] }),
        key,
      ),
    });
    expect(response.status).toBe(403);
    expect(response.body.error.message).toContain(
      'immutable-releases.release.create',
    );
    expect(permissions.authorize).toHaveBeenLastCalledWith(
      [
        expect.objectContaining({
          permission: expect.objectContaining({
            name: 'immutable-releases.release.create',
          }),
          resourceRef: ENTITY_REF,
        }),
      ],
      expect.anything(),
    );
  });
});
