/** Kinds of artifact a release can pin. */
export const ARTIFACT_TYPES = [
  'oci-image',
  'vm-image',
  'archive',
  'function',
  'other',
] as const;
export type ArtifactType = (typeof ARTIFACT_TYPES)[number];

/** An artifact pinned by digest: `uri@digest` is what executors deploy. */
export interface Artifact {
  type: ArtifactType;
  uri: string;
  /** `<algorithm>:<hex>`, `sha256` (64 hex) or `sha512` (128 hex), lower-case. */
  digest: string;
}

export interface ReleaseSource {
  repository?: string;
  commit?: string;
  branch?: string;
  committedAt?: string;
}

export interface ReleaseBuild {
  id?: string;
  url?: string;
}

export const CHECK_STATUSES = ['passed', 'failed', 'pending'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface ReleaseCheck {
  name: string;
  status: CheckStatus;
  url?: string;
  summary?: string;
  recordedAt: string;
  recordedBy: string;
}

export interface ReleaseRevocation {
  reason: string;
  revokedAt: string;
  revokedBy: string;
}

/** An immutable release of one catalog entity. */
export interface Release {
  id: string;
  entityRef: string;
  version: string;
  artifact: Artifact;
  source: ReleaseSource;
  build: ReleaseBuild;
  labels: Record<string, string>;
  createdAt: string;
  createdBy: string;
  /** The latest record per check name. */
  checks?: ReleaseCheck[];
  revocation?: ReleaseRevocation | null;
  /** The latest deployment of this release per environment. */
  deployments?: ReleaseDeploymentSummary[];
}

export interface ReleaseDeploymentSummary {
  environment: string;
  deploymentId: string;
  kind: DeploymentKind;
  status: DeploymentStatus;
  updatedAt: string;
}

/** The body of `POST /v1/releases`. */
export interface RegisterReleaseRequest {
  entityRef: string;
  version: string;
  artifact: Artifact;
  source?: ReleaseSource;
  build?: ReleaseBuild;
  checks?: Array<{
    name: string;
    status: CheckStatus;
    url?: string;
    summary?: string;
  }>;
  labels?: Record<string, string>;
}

export const DEPLOYMENT_KINDS = ['promotion', 'rollback'] as const;
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number];

export const DEPLOYMENT_STATUSES = [
  'pending',
  'running',
  'verifying',
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'superseded',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

/** Statuses a deployment never leaves. */
export const TERMINAL_DEPLOYMENT_STATUSES: ReadonlyArray<DeploymentStatus> = [
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'superseded',
];

/** Statuses during which a deployment occupies its environment. */
export const ACTIVE_DEPLOYMENT_STATUSES: ReadonlyArray<DeploymentStatus> = [
  'running',
  'verifying',
];

export interface DeploymentTransition {
  status: DeploymentStatus;
  at: string;
  actor: string;
  message: string;
}

export interface GateResult {
  name: string;
  passed: boolean;
  message: string;
  /** When a failing gate will pass by itself (a soak time still running). */
  passesAt?: string;
}

export interface DeploymentApproval {
  approver: string;
  decision: 'approve' | 'reject';
  comment?: string;
  at: string;
}

export interface DeploymentExecutorResult {
  name: string;
  type: string;
  url?: string;
  output?: string;
}

export interface Deployment {
  id: string;
  entityRef: string;
  environment: string;
  releaseId: string;
  release: {
    id: string;
    version: string;
    artifact: Artifact;
    /** Whether the release has been revoked since (it can no longer be deployed). */
    revoked?: boolean;
  };
  kind: DeploymentKind;
  status: DeploymentStatus;
  reason: string | null;
  requestedBy: string;
  createdAt: string;
  updatedAt: string;
  transitions: DeploymentTransition[];
  gates: GateResult[];
  approvals: DeploymentApproval[];
  executor: DeploymentExecutorResult | null;
}

export const DRIFT_STATUSES = [
  'in-sync',
  'drifted',
  'unmanaged',
  'unknown',
] as const;
export type DriftStatus = (typeof DRIFT_STATUSES)[number];

export interface EnvironmentHold {
  reason: string;
  setAt: string;
  setBy: string;
  /**
   * True when pending deployments wait too, not only automatic promotions:
   * the outcome of a deployment is unknown (its backend stopped mid-way)
   * until a person releases the hold or an observation tells what runs.
   */
  blocksDeployments?: boolean;
}

export interface EnvironmentStatus {
  name: string;
  from: string | null;
  currentRelease: {
    id: string;
    version: string;
    artifact: Artifact;
    revoked: boolean;
  } | null;
  currentDeployment: Deployment | null;
  pendingDeployments: Deployment[];
  drift: EnvironmentDrift;
  hold: EnvironmentHold | null;
}

/** What runs in an environment compared with what should (DESIGN §3, Observation). */
export interface EnvironmentDrift {
  status: DriftStatus;
  observedDigest: string | null;
  observedAt: string | null;
  /** Who reported the latest observation, e.g. `http-probe:production` or a CI subject. */
  observedSource?: string | null;
  /** The release of this entity whose digest was observed, when there is one. */
  observedRelease?: { id: string; version: string; revoked: boolean } | null;
  /** The last failure to observe this environment, when it is newer than the latest observation. */
  error?: DriftObservationError | null;
}

/** A probe (or another observation source) could not tell what runs. */
export interface DriftObservationError {
  message: string;
  at: string;
  source: string;
}

/** One report of what actually runs (`POST /v1/observations`). */
export interface ObservationInput {
  entityRef: string;
  environment: string;
  digest: string;
  /** Who observed it; defaults to the caller. */
  source?: string;
  /** Defaults to the time the report arrives. */
  observedAt?: string;
}

export interface ObservationsRequest {
  observations: ObservationInput[];
}

/** The four DORA figures of one environment over a window of days. */
export interface DeliveryMetrics {
  /** The environment the figures are for (the last of the pipeline unless asked). */
  environment: string;
  /** The length of the window, in days, ending now. */
  days: number;
  /** Succeeded deployments per day over the window (0 without any). */
  deploymentFrequency: number;
  leadTimeSeconds: { p50: number | null; p90: number | null };
  changeFailureRate: number | null;
  timeToRestoreSeconds: { p50: number | null };
}

export interface EnvironmentsResponse {
  pipeline: string;
  environments: EnvironmentStatus[];
}

export interface PromotionRequest {
  entityRef: string;
  releaseId: string;
  environment: string;
  reason?: string;
  override?: { reason: string };
  dryRun?: boolean;
}

export interface RollbackRequest {
  entityRef: string;
  environment: string;
  releaseId?: string;
  reason: string;
}

/** One entry of the append-only audit trail. */
export interface ReleaseEvent {
  id: string;
  type: string;
  entityRef: string;
  environment?: string;
  releaseId?: string;
  deploymentId?: string;
  actor: string;
  at: string;
  details: Record<string, unknown>;
}

/** A page of a list answer, newest first. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The catalog annotation that names an entity's pipeline. */
export const PIPELINE_ANNOTATION = 'immutable-releases/pipeline';
export const DEFAULT_PIPELINE_NAME = 'default';
