/* How releases, checks and revocations are stored in rows, and read back. */
import {
  ArtifactType,
  CheckStatus,
  DeploymentKind,
  DeploymentStatus,
  Release,
  ReleaseCheck,
  ReleaseDeploymentSummary,
  ReleaseRevocation,
} from 'backstage-plugin-immutable-releases-common';
import { attestationsFromColumn } from './attestationRows';
import { parsedJson } from './jsonColumns';
import {
  byCheckName,
  compareCodeUnits,
  NewCheck,
  NewRelease,
} from './ReleaseStore';

export interface ReleaseRow {
  seq: number;
  id: string;
  entity_ref: string;
  version: string;
  artifact_type: string;
  artifact_uri: string;
  artifact_digest: string;
  source: string;
  build: string;
  labels: string;
  created_at: string;
  created_by: string;
}

/** Every column of `ReleaseRow`, for reads that name their columns (prepared ones must). */
export const RELEASE_COLUMNS = Object.keys({
  seq: true,
  id: true,
  entity_ref: true,
  version: true,
  artifact_type: true,
  artifact_uri: true,
  artifact_digest: true,
  source: true,
  build: true,
  labels: true,
  created_at: true,
  created_by: true,
} satisfies Record<keyof ReleaseRow, true>);

export interface CheckRow {
  seq: number;
  release_id: string;
  name: string;
  status: string;
  url: string | null;
  summary: string | null;
  recorded_at: string;
  recorded_by: string;
}

export interface RevocationRow {
  release_id: string;
  reason: string;
  revoked_at: string;
  revoked_by: string;
}

export type RevocationColumns = Omit<RevocationRow, 'release_id'>;

export function toRevocation(row: RevocationColumns): ReleaseRevocation {
  return {
    reason: row.reason,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}

/** A left-joined revocation's columns: null when the release is not revoked. */
export interface JoinedRevocationColumns {
  reason: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

export function toJoinedRevocation(
  row: JoinedRevocationColumns,
): ReleaseRevocation | null {
  return row.reason === null ? null : toRevocation(row as RevocationColumns);
}

/** A release row with its attachments, as `selectWithAttachments` reads it. */
export interface AttachedReleaseRow
  extends ReleaseRow,
    JoinedRevocationColumns {
  /** JSON text on SQLite; pg parses `json` columns itself. */
  checks: string | Array<Omit<CheckRow, 'seq' | 'release_id'>>;
  deployments: string | DeploymentSummaryJson[];
  attestations: Parameters<typeof attestationsFromColumn>[0];
}

export interface DeploymentSummaryJson {
  environment: string;
  id: string;
  kind: string;
  status: string;
  updated_at: string;
}

export const CHECK_COLUMNS = [
  'name',
  'status',
  'url',
  'summary',
  'recorded_at',
  'recorded_by',
];
export const DEPLOYMENT_SUMMARY_COLUMNS = [
  'environment',
  'id',
  'kind',
  'status',
  'updated_at',
];

/**
 * A release with its attachments, added to the bare release one by one: a
 * history page maps 51 rows, and spreading the bare release into a new
 * object (`{ ...toRelease(row), checks, … }`) cost more than parsing the
 * row's JSON columns.
 */
export function toAttachedRelease(row: AttachedReleaseRow): Release {
  const release = toRelease(row);
  release.checks = parsedJson(row.checks).sort(byCheckName).map(toCheck);
  release.revocation = toJoinedRevocation(row);
  release.deployments = parsedJson(row.deployments)
    .map(
      (deployment): ReleaseDeploymentSummary => ({
        environment: deployment.environment,
        deploymentId: deployment.id,
        kind: deployment.kind as DeploymentKind,
        status: deployment.status as DeploymentStatus,
        updatedAt: deployment.updated_at,
      }),
    )
    .sort((a, b) => compareCodeUnits(a.environment, b.environment));
  release.attestations = attestationsFromColumn(row.attestations);
  return release;
}

export function toRelease(row: ReleaseRow): Release {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    version: row.version,
    artifact: {
      type: row.artifact_type as ArtifactType,
      uri: row.artifact_uri,
      digest: row.artifact_digest,
    },
    source: JSON.parse(row.source),
    build: JSON.parse(row.build),
    labels: JSON.parse(row.labels),
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

export function toReleaseRow(release: NewRelease): Omit<ReleaseRow, 'seq'> {
  return {
    id: release.id,
    entity_ref: release.entityRef,
    version: release.version,
    artifact_type: release.artifact.type,
    artifact_uri: release.artifact.uri,
    artifact_digest: release.artifact.digest,
    source: JSON.stringify(release.source),
    build: JSON.stringify(release.build),
    labels: JSON.stringify(release.labels),
    created_at: release.createdAt,
    created_by: release.createdBy,
  };
}

export function toCheckRow(
  releaseId: string,
  check: NewCheck,
): Omit<CheckRow, 'seq'> {
  return {
    release_id: releaseId,
    name: check.name,
    status: check.status,
    url: check.url ?? null,
    summary: check.summary ?? null,
    recorded_at: check.recordedAt,
    recorded_by: check.recordedBy,
  };
}

export function toCheck(
  row: Omit<CheckRow, 'seq' | 'release_id'>,
): ReleaseCheck {
  // Optional keys are added, not spread in: this runs for every check of
  // every release on a history page.
  const check: ReleaseCheck = {
    name: row.name,
    status: row.status as CheckStatus,
    recordedAt: row.recorded_at,
    recordedBy: row.recorded_by,
  };
  if (row.url) {
    check.url = row.url;
  }
  if (row.summary) {
    check.summary = row.summary;
  }
  return check;
}
