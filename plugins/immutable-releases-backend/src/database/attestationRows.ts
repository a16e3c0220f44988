import { Knex } from 'knex';
import { ReleaseAttestation } from 'backstage-plugin-immutable-releases-common';
import { bySeq, jsonArrayOf, parsedJson } from './jsonColumns';
import {
  NewAttestation,
  StoredAttestation,
  toReleaseAttestation,
} from './ReleaseStore';

export interface AttestationRow {
  seq: number;
  id: string;
  release_id: string;
  bundle: string;
  bundle_sha256: string;
  media_type: string;
  predicate_type: string;
  subject_digests: string;
  signer: string;
  recorded_at: string;
  recorded_by: string;
}

/** The columns a release shows of its attestations (not the bundle). */
const SUMMARY_COLUMNS = [
  'seq',
  'id',
  'predicate_type',
  'subject_digests',
  'signer',
  'recorded_at',
  'recorded_by',
] as const;

type SummaryRow = Pick<AttestationRow, (typeof SUMMARY_COLUMNS)[number]>;

export function toAttestationRow(
  releaseId: string,
  attestation: NewAttestation,
): Omit<AttestationRow, 'seq'> {
  return {
    id: attestation.id,
    release_id: releaseId,
    bundle: JSON.stringify(attestation.bundle),
    bundle_sha256: attestation.bundleSha256,
    media_type: attestation.mediaType,
    predicate_type: attestation.predicateType,
    subject_digests: JSON.stringify(attestation.subjectDigests),
    signer: JSON.stringify(attestation.signer ?? {}),
    recorded_at: attestation.recordedAt,
    recorded_by: attestation.recordedBy,
  };
}

export function toAttestation(row: SummaryRow): ReleaseAttestation {
  return toReleaseAttestation({
    id: row.id,
    predicateType: row.predicate_type,
    subjectDigests: JSON.parse(row.subject_digests),
    signer: JSON.parse(row.signer),
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
  });
}

export function toStoredAttestation(row: AttestationRow): StoredAttestation {
  return { ...toAttestation(row), bundle: JSON.parse(row.bundle) };
}

/** A correlated subquery: the attestations of release `r`, as a JSON array. */
export function attestationsOfRelease(db: Knex): string {
  return `(SELECT ${jsonArrayOf(db, 'a', [...SUMMARY_COLUMNS])}
    FROM release_attestations a WHERE a.release_id = r.id)`;
}

/** The `attestationsOfRelease` column as the API shows it, oldest first. */
export function attestationsFromColumn(
  value: string | SummaryRow[],
): ReleaseAttestation[] {
  return parsedJson(value).sort(bySeq).map(toAttestation);
}

/** Appends attestations, skipping bundles the release has; answers what it holds for each. */
export async function addAttestations(
  db: Knex,
  releaseId: string,
  attestations: NewAttestation[],
): Promise<ReleaseAttestation[]> {
  if (attestations.length === 0) {
    return [];
  }
  // The unique index decides a race between two requests with the same bundle.
  await db('release_attestations')
    .insert(attestations.map(a => toAttestationRow(releaseId, a)))
    .onConflict(['release_id', 'bundle_sha256'])
    .ignore();
  const rows = await db<AttestationRow>('release_attestations')
    .select(...SUMMARY_COLUMNS, 'bundle_sha256')
    .where('release_id', releaseId)
    .whereIn(
      'bundle_sha256',
      attestations.map(a => a.bundleSha256),
    );
  const byHash = new Map(rows.map(row => [row.bundle_sha256, row]));
  return attestations.map(a => toAttestation(byHash.get(a.bundleSha256)!));
}

export async function listAttestations(
  db: Knex,
  releaseId: string,
): Promise<StoredAttestation[]> {
  const rows = await db<AttestationRow>('release_attestations')
    .where('release_id', releaseId)
    .orderBy('seq');
  return rows.map(toStoredAttestation);
}
