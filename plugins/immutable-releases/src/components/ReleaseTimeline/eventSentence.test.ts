import { ReleaseEvent } from 'backstage-plugin-immutable-releases-common';
import { eventSentence, sentenceText } from './eventSentence';

const ENGINE = 'plugin:immutable-releases';

function event(
  type: string,
  fields: Partial<ReleaseEvent> & { details?: Record<string, unknown> } = {},
): ReleaseEvent {
  return {
    id: 'e1',
    type,
    entityRef: 'component:default/shop',
    actor: 'user:default/alice',
    at: '2026-11-23T10:00:00.000Z',
    details: {},
    ...fields,
  };
}

/** The sentence and its note as a person reads them. */
function read(e: ReleaseEvent): { sentence: string; note?: string } {
  const sentence = eventSentence(e);
  return {
    sentence: sentenceText(sentence),
    ...(sentence.note ? { note: sentence.note } : {}),
  };
}

const inProduction = {
  environment: 'production',
  releaseId: 'r-140',
  deploymentId: 'd-1',
};

describe('eventSentence', () => {
  it('release.registered: who registered which version, with its checks', () => {
    expect(
      read(
        event('release.registered', {
          actor: 'external:ci',
          details: {
            version: '1.4.0',
            artifact: { type: 'oci-image', uri: 'ghcr.io/acme/shop' },
            checks: [
              { name: 'unit-tests', status: 'passed' },
              { name: 'e2e', status: 'pending' },
            ],
          },
        }),
      ),
    ).toEqual({
      sentence: 'ci registered 1.4.0',
      note: 'checks: unit-tests passed, e2e pending',
    });
  });

  it('release.revoked: who revoked it and why', () => {
    expect(
      read(
        event('release.revoked', {
          details: { version: '1.4.0', reason: 'CVE-2026-1234' },
        }),
      ),
    ).toEqual({ sentence: 'alice revoked 1.4.0: CVE-2026-1234' });
  });

  it('check.recorded: the check, its status and the version', () => {
    const check = (status: string) =>
      read(
        event('check.recorded', {
          details: { version: '1.4.0', name: 'e2e', status },
        }),
      ).sentence;
    expect(check('passed')).toBe('check e2e passed for 1.4.0');
    expect(check('failed')).toBe('check e2e failed for 1.4.0');
    expect(check('pending')).toBe('check e2e is pending for 1.4.0');
  });

  it('attestation.recorded: the predicate and who signed it', () => {
    const attestation = (signer?: Record<string, string>) =>
      read(
        event('attestation.recorded', {
          details: {
            version: '1.4.0',
            attestationId: 'a1',
            predicateType: 'https://slsa.dev/provenance/v1',
            subjectDigests: ['sha256:abc'],
            ...(signer ? { signer } : {}),
          },
        }),
      ).sentence;
    expect(attestation({ keyHint: 'release-key-1' })).toBe(
      'attestation https://slsa.dev/provenance/v1 recorded for 1.4.0 (signed by key release-key-1)',
    );
    expect(
      attestation({
        certificateIdentity:
          'https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main',
        certificateIssuer: 'https://token.actions.githubusercontent.com',
      }),
    ).toBe(
      'attestation https://slsa.dev/provenance/v1 recorded for 1.4.0 (signed by https://github.com/acme/shop/.github/workflows/release.yml@refs/heads/main (issuer https://token.actions.githubusercontent.com))',
    );
    expect(attestation()).toBe(
      'attestation https://slsa.dev/provenance/v1 recorded for 1.4.0',
    );
  });

  it('deployment.requested: a promotion with its reason and the gates it waits for, or a rollback', () => {
    expect(
      read(
        event('deployment.requested', {
          ...inProduction,
          actor: 'user:default/bob',
          details: {
            kind: 'promotion',
            version: '1.4.0',
            reason: 'hotfix',
            gates: [
              { name: 'not-revoked', passed: true, message: 'not revoked' },
              {
                name: 'approvals',
                passed: false,
                message: 'waits for 2 approvals',
              },
            ],
          },
        }),
      ),
    ).toEqual({
      sentence: 'bob requested a promotion of 1.4.0 to production: hotfix',
      note: 'waiting for 2 approvals',
    });
    expect(
      read(
        event('deployment.requested', {
          ...inProduction,
          actor: 'user:default/bob',
          details: {
            kind: 'rollback',
            version: '1.3.0',
            reason: 'checkout errors',
            gates: [{ name: 'not-revoked', passed: true, message: 'ok' }],
          },
        }),
      ),
    ).toEqual({
      sentence: 'bob rolled production back to 1.3.0: checkout errors',
      note: 'all gates passed',
    });
  });

  it('deployment transitions: running, verifying, succeeded, failed, rejected, cancelled, superseded', () => {
    const transition = (
      type: string,
      details: Record<string, unknown>,
      actor = ENGINE,
    ) =>
      read(
        event(type, {
          ...inProduction,
          actor,
          details: { kind: 'promotion', version: '1.4.0', ...details },
        }),
      );
    expect(transition('deployment.running', { executor: 'argocd' })).toEqual({
      sentence: 'the deployment of 1.4.0 to production started with argocd',
    });
    expect(transition('deployment.verifying', {})).toEqual({
      sentence: 'the deployment of 1.4.0 to production is being verified',
    });
    expect(
      transition('deployment.succeeded', { message: 'synced in 42s' }),
    ).toEqual({
      sentence: '1.4.0 succeeded in production',
      note: 'synced in 42s',
    });
    expect(
      transition('deployment.failed', {
        message: 'command exited with code 1',
      }),
    ).toEqual({
      sentence:
        'the deployment of 1.4.0 to production failed: command exited with code 1',
    });
    expect(transition('deployment.rejected', {}, 'user:default/bob')).toEqual({
      sentence: 'the deployment of 1.4.0 to production was rejected',
    });
    expect(
      transition(
        'deployment.cancelled',
        { reason: 'wrong release' },
        'user:default/bob',
      ),
    ).toEqual({
      sentence:
        'bob cancelled the deployment of 1.4.0 to production: wrong release',
    });
    expect(
      transition('deployment.cancelled', { reason: null }, 'user:default/bob'),
    ).toEqual({
      sentence: 'bob cancelled the deployment of 1.4.0 to production',
    });
    expect(transition('deployment.superseded', { supersededBy: 'd2' })).toEqual(
      {
        sentence:
          'the deployment of 1.4.0 to production was superseded by a newer request',
      },
    );
  });

  it('names a rollback as one in its transitions', () => {
    expect(
      read(
        event('deployment.succeeded', {
          ...inProduction,
          actor: ENGINE,
          details: { kind: 'rollback', version: '1.3.0', message: 'done' },
        }),
      ).sentence,
    ).toBe('the rollback of production to 1.3.0 succeeded');
  });

  it('approval.approved and approval.rejected: who, which version, where, and their comment', () => {
    expect(
      read(
        event('approval.approved', {
          ...inProduction,
          details: {
            kind: 'promotion',
            version: '1.4.0',
            comment: 'looks good',
          },
        }),
      ),
    ).toEqual({ sentence: 'alice approved 1.4.0 for production: looks good' });
    expect(
      read(
        event('approval.rejected', {
          ...inProduction,
          actor: 'user:default/carol',
          details: { version: '1.4.0', comment: null },
        }),
      ),
    ).toEqual({ sentence: 'carol rejected 1.4.0 for production' });
  });

  it('reads an approval recorded before events carried the version', () => {
    expect(
      read(
        event('approval.approved', {
          ...inProduction,
          details: { comment: 'ok' },
        }),
      ).sentence,
    ).toBe('alice approved a release for production: ok');
  });

  it('hold.set and hold.released: where, and why', () => {
    expect(
      read(
        event('hold.set', {
          ...inProduction,
          actor: 'user:default/bob',
          details: {
            reason: 'rolled back from 1.4.0 to 1.3.0: checkout errors',
          },
        }),
      ).sentence,
    ).toBe(
      'a hold was set on production: rolled back from 1.4.0 to 1.3.0: checkout errors',
    );
    expect(
      read(
        event('hold.released', {
          environment: 'production',
          details: {},
        }),
      ).sentence,
    ).toBe('alice released the hold on production');
    expect(
      read(
        event('hold.released', {
          environment: 'production',
          actor: ENGINE,
          details: {
            reason:
              'argocd observed sha256:abc running at 2026-11-23T10:00:00Z',
          },
        }),
      ).sentence,
    ).toBe(
      'the hold on production was released: argocd observed sha256:abc running at 2026-11-23T10:00:00Z',
    );
  });

  it('drift.changed: the new status and what was observed', () => {
    const drift = (details: Record<string, unknown>) =>
      read(
        event('drift.changed', {
          environment: 'production',
          actor: 'external:argocd',
          details: {
            from: 'in-sync',
            observedDigest: `sha256:${'ab'.repeat(32)}`,
            observedSource: 'argocd',
            observedVersion: null,
            ...details,
          },
        }),
      );
    expect(drift({ to: 'unmanaged' })).toEqual({
      sentence: 'drift in production: now unmanaged',
      note: 'observed an unregistered artifact (sha256:abababababab) by argocd',
    });
    expect(drift({ to: 'drifted', observedVersion: '1.3.0' }).note).toBe(
      'observed 1.3.0 (sha256:abababababab) by argocd',
    );
    expect(
      drift({ to: 'in-sync', from: 'drifted', observedVersion: '1.4.0' })
        .sentence,
    ).toBe('production is in sync again');
  });

  it('observation.recorded: what runs where', () => {
    expect(
      read(
        event('observation.recorded', {
          environment: 'staging',
          actor: 'external:kubernetes',
          details: { observedDigest: 'sha256:0123456789abcdef' },
        }),
      ),
    ).toEqual({
      sentence: 'kubernetes recorded what runs in staging',
      note: 'observed an unregistered artifact (sha256:0123456789ab)',
    });
  });

  it('promotion.blocked, promotion.skipped, rollback.skipped: what automation did not do, and why', () => {
    expect(
      read(
        event('promotion.blocked', {
          ...inProduction,
          actor: ENGINE,
          details: {
            version: '1.4.0',
            gates: [
              { name: 'upstream', passed: true, message: 'ok' },
              {
                name: 'soak-time',
                passed: false,
                message: 'release 1.4.0 has soaked in staging for 2h of 24h',
              },
              {
                name: 'required-checks',
                passed: false,
                message: 'required checks not passed: security-scan missing',
              },
            ],
            retryAt: '2026-11-24T08:00:00.000Z',
          },
        }),
      ),
    ).toEqual({
      sentence:
        'the automatic promotion of 1.4.0 to production was blocked by its gates; it is retried when they can pass',
      note: 'soak time: release 1.4.0 has soaked in staging for 2h of 24h; required checks: required checks not passed: security-scan missing',
    });
    expect(
      read(
        event('promotion.skipped', {
          ...inProduction,
          actor: ENGINE,
          details: {
            version: '1.4.0',
            reason: 'environment is held: incident 42',
          },
        }),
      ).sentence,
    ).toBe(
      'the automatic promotion of 1.4.0 to production was skipped: environment is held: incident 42',
    );
    expect(
      read(
        event('rollback.skipped', {
          ...inProduction,
          actor: ENGINE,
          details: {
            kind: 'promotion',
            version: '1.4.0',
            reason: 'no earlier release succeeded in production',
          },
        }),
      ).sentence,
    ).toBe(
      'the automatic rollback of production was skipped: no earlier release succeeded in production',
    );
  });

  it('freeze.overridden: who overrode the freeze, and why', () => {
    expect(
      read(
        event('freeze.overridden', {
          ...inProduction,
          details: { reason: 'security fix' },
        }),
      ).sentence,
    ).toBe('alice overrode the freeze window of production: security fix');
  });

  it('reads an unknown type as words, never as JSON', () => {
    const unknown = read(
      event('canary.weight_changed', {
        environment: 'production',
        actor: 'external:flagger',
        details: {
          version: '1.4.0',
          message: 'weight 50%',
          weights: { old: 50, new: 50 },
        },
      }),
    );
    expect(unknown).toEqual({
      sentence:
        'flagger recorded canary weight changed of 1.4.0 in production: weight 50%',
    });
    expect(unknown.sentence).not.toMatch(/weights|[{}"]/);
  });

  it('reads events with details of unexpected shapes without JSON', () => {
    const odd = read(
      event('deployment.requested', {
        ...inProduction,
        details: {
          kind: 'promotion',
          version: 42,
          gates: 'none',
          reason: { nested: true },
        },
      }),
    );
    expect(odd).toEqual({
      sentence: 'alice requested a promotion of a release to production',
    });
  });
});
