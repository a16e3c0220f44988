import { createHash, randomUUID } from 'node:crypto';
import { InputError } from '@backstage/errors';
import { ReleaseAttestation } from 'backstage-plugin-immutable-releases-common';
import { NewAttestation } from '../database/ReleaseStore';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { AuditTrail, NewEvent } from '../audit/AuditTrail';
import { canonicalJson } from '../releases/canonicalJson';
import { parseAttestationBundle } from './attestationBundle';

/**
 * Reads the bundles of attestations for a release of `releaseDigest`, each
 * under its field name, e.g. `attestations[1].bundle`. A malformed bundle,
 * or a statement whose subjects do not include the release digest, is an
 * `InputError` naming the field. The same bundle twice is recorded once.
 */
export function readNewAttestations(
  bundles: Array<{ field: string; bundle: unknown }>,
  releaseDigest: string,
  recorded: { at: string; by: string },
): NewAttestation[] {
  const distinct = new Map<string, NewAttestation>();
  for (const { field, bundle } of bundles) {
    const parsed = parseAttestationBundle(bundle, field);
    if (!parsed.subjectDigests.includes(releaseDigest)) {
      throw new InputError(
        `${field}: the statement's subjects (${parsed.subjectDigests.join(
          ', ',
        )}) do not include the release digest ${releaseDigest}`,
      );
    }
    const bundleSha256 = createHash('sha256')
      .update(canonicalJson(bundle))
      .digest('hex');
    if (!distinct.has(bundleSha256)) {
      distinct.set(bundleSha256, {
        id: randomUUID(),
        bundle,
        bundleSha256,
        mediaType: parsed.mediaType,
        predicateType: parsed.predicateType,
        subjectDigests: parsed.subjectDigests,
        signer: parsed.signer,
        recordedAt: recorded.at,
        recordedBy: recorded.by,
      });
    }
  }
  return [...distinct.values()];
}

/** The audit event of an attestation recorded on a release. */
export function attestationRecordedEvent(
  release: { id: string; entityRef: string; version: string },
  attestation: NewAttestation,
): NewEvent {
  return {
    type: 'attestation.recorded',
    entityRef: release.entityRef,
    releaseId: release.id,
    actor: attestation.recordedBy,
    at: attestation.recordedAt,
    details: {
      version: release.version,
      attestationId: attestation.id,
      predicateType: attestation.predicateType,
      subjectDigests: attestation.subjectDigests,
      ...(attestation.signer ? { signer: attestation.signer } : {}),
    },
  };
}

/**
 * Appends the attestations a release does not hold yet, with an
 * `attestation.recorded` event each, in one transaction; answers what the
 * release holds for each and whether it was recorded now.
 */
export async function recordAttestations(
  db: ReleasesDatabase,
  audit: AuditTrail,
  release: { id: string; entityRef: string; version: string },
  attestations: NewAttestation[],
): Promise<Array<{ attestation: ReleaseAttestation; created: boolean }>> {
  if (attestations.length === 0) {
    return [];
  }
  const { recorded, events } = await db.transaction(async stores => {
    const held = await stores.releases.addAttestations(
      release.id,
      attestations,
    );
    const results = held.map((attestation, index) => ({
      attestation,
      created: attestation.id === attestations[index].id,
    }));
    return {
      recorded: results,
      events: await audit.record(
        stores,
        attestations
          .filter((_, index) => results[index].created)
          .map(a => attestationRecordedEvent(release, a)),
      ),
    };
  });
  await audit.publish(events);
  return recorded;
}
