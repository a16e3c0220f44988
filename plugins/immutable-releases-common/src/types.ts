// The request and response types of the REST API. Each is a name for a schema
// of the OpenAPI document (plugins/immutable-releases-backend/src/schema/openapi.yaml),
// through the types generated from it, so the two cannot drift apart: to change
// one, edit the document and run `corepack yarn generate`.
import type { components } from './schema/openapi.generated';

type Schemas = components['schemas'];

/**
 * The members of a string union as a tuple, which the compiler checks to hold
 * every member: a value missing from the list is a type error naming it.
 */
function allOf<T extends string>() {
  return <const V extends readonly T[]>(
    values: V &
      ([Exclude<T, V[number]>] extends [never]
        ? unknown
        : { missing: Exclude<T, V[number]> }),
  ): V => values;
}

/**
 * Kinds of artifact a release can pin.
 *
 * @public
 */
export type ArtifactType = Schemas['ArtifactType'];

/**
 * Every {@link ArtifactType}.
 *
 * @public
 */
export const ARTIFACT_TYPES = allOf<ArtifactType>()([
  'oci-image',
  'vm-image',
  'archive',
  'function',
  'other',
]);

/**
 * An artifact pinned by digest: `uri@digest` is what executors deploy. The
 * digest is `<algorithm>:<hex>`, `sha256` (64 hex) or `sha512` (128 hex),
 * lower-case.
 *
 * @public
 */
export type Artifact = Schemas['Artifact'];

/**
 * Where a release was built from.
 *
 * @public
 */
export type ReleaseSource = Schemas['ReleaseSource'];

/**
 * The build that produced a release's artifact.
 *
 * @public
 */
export type ReleaseBuild = Schemas['ReleaseBuild'];

/**
 * The status of a check recorded on a release.
 *
 * @public
 */
export type CheckStatus = Schemas['CheckStatus'];

/**
 * Every {@link CheckStatus}.
 *
 * @public
 */
export const CHECK_STATUSES = allOf<CheckStatus>()([
  'passed',
  'failed',
  'pending',
]);

/**
 * A check record of a release; the latest record per name counts.
 *
 * @public
 */
export type ReleaseCheck = Schemas['Check'];

/**
 * Why, when and by whom a release was revoked.
 *
 * @public
 */
export type ReleaseRevocation = Schemas['Revocation'];

/**
 * Who signed an attestation, as its bundle says: the public key's hint, or the
 * signing certificate's identity and issuer. Not a verification: the
 * `signature` gate verifies.
 *
 * @public
 */
export type AttestationSigner = Schemas['AttestationSigner'];

/**
 * An attestation recorded on a release: what was read from its Sigstore
 * bundle (the bundle itself is kept by the backend).
 *
 * @public
 */
export type ReleaseAttestation = Schemas['Attestation'];

/**
 * The body of `POST /v1/releases/{releaseId}/attestations`, and an item of a
 * registration's `attestations`.
 *
 * @public
 */
export type AttestationInput = Schemas['AttestationInput'];

/**
 * An immutable release of one catalog entity. `checks` (the latest record per
 * check name), `revocation` and `deployments` (the latest deployment of this
 * release per environment) are present when one release is fetched by id.
 *
 * @public
 */
export type Release = Schemas['Release'];

/**
 * The latest deployment of a release into one environment.
 *
 * @public
 */
export type ReleaseDeploymentSummary = Schemas['ReleaseDeploymentSummary'];

/**
 * The body of `POST /v1/releases`.
 *
 * @public
 */
export type RegisterReleaseRequest = Schemas['RegisterReleaseRequest'];

/**
 * Whether a deployment promotes a release or rolls back to one.
 *
 * @public
 */
export type DeploymentKind = Schemas['DeploymentKind'];

/**
 * Every {@link DeploymentKind}.
 *
 * @public
 */
export const DEPLOYMENT_KINDS = allOf<DeploymentKind>()([
  'promotion',
  'rollback',
]);

/**
 * Where a deployment is in its life.
 *
 * @public
 */
export type DeploymentStatus = Schemas['DeploymentStatus'];

/**
 * Every {@link DeploymentStatus}.
 *
 * @public
 */
export const DEPLOYMENT_STATUSES = allOf<DeploymentStatus>()([
  'pending',
  'running',
  'verifying',
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'superseded',
]);

/**
 * Statuses a deployment never leaves.
 *
 * @public
 */
export const TERMINAL_DEPLOYMENT_STATUSES: ReadonlyArray<DeploymentStatus> = [
  'succeeded',
  'failed',
  'rejected',
  'cancelled',
  'superseded',
];

/**
 * Statuses during which a deployment occupies its environment.
 *
 * @public
 */
export const ACTIVE_DEPLOYMENT_STATUSES: ReadonlyArray<DeploymentStatus> = [
  'running',
  'verifying',
];

/**
 * One status change of a deployment, with its time, actor and message.
 *
 * @public
 */
export type DeploymentTransition = Schemas['Transition'];

/**
 * The name of a gate a promotion is evaluated against.
 *
 * @public
 */
export type GateName = Schemas['GateName'];

/**
 * Every {@link GateName}, in the order a promotion evaluates them.
 *
 * @public
 */
export const GATE_NAMES = allOf<GateName>()([
  'not-revoked',
  'upstream',
  'soak-time',
  'required-checks',
  'signature',
  'provenance',
  'freeze-window',
  'approvals',
]);

/**
 * The verdict of one gate; `passesAt` says when a failing gate will pass by
 * itself (a soak time still running).
 *
 * @public
 */
export type GateResult = Schemas['Gate'];

/**
 * One approver's decision on a deployment.
 *
 * @public
 */
export type DeploymentApproval = Schemas['Approval'];

/**
 * What the executor of a deployment reported.
 *
 * @public
 */
export type DeploymentExecutorResult = Schemas['ExecutorResult'];

/**
 * A request to make one environment of one entity run one release.
 *
 * @public
 */
export type Deployment = Schemas['Deployment'];

/**
 * What runs in an environment compared with what should.
 *
 * @public
 */
export type DriftStatus = Schemas['DriftStatus'];

/**
 * Every {@link DriftStatus}.
 *
 * @public
 */
export const DRIFT_STATUSES = allOf<DriftStatus>()([
  'in-sync',
  'drifted',
  'unmanaged',
  'unknown',
]);

/**
 * A hold on an environment, set by a rollback: automatic promotion into it
 * stops until a person releases it.
 *
 * @public
 */
export type EnvironmentHold = Schemas['EnvironmentHold'];

/**
 * One environment of an entity's pipeline: its current release and
 * deployments, its drift and its hold.
 *
 * @public
 */
export type EnvironmentStatus = Schemas['EnvironmentStatus'];

/**
 * What runs in an environment compared with what should: the drift status with
 * the latest observation, the release it matches and the last failure to
 * observe.
 *
 * @public
 */
export type EnvironmentDrift = Schemas['EnvironmentDrift'];

/**
 * One entity of the fleet view (`GET /v1/environments`): each environment's
 * current release, drift status, hold and pending count.
 *
 * @public
 */
export type FleetEntity = Schemas['FleetEntity'];

/**
 * One environment of an entity in the fleet view.
 *
 * @public
 */
export type FleetEnvironment = Schemas['FleetEnvironment'];

/**
 * A probe (or another observation source) could not tell what runs.
 *
 * @public
 */
export type DriftObservationError = Schemas['DriftObservationError'];

/**
 * One report of what actually runs (`POST /v1/observations`).
 *
 * @public
 */
export type ObservationInput = Schemas['ObservationInput'];

/**
 * How many instances run an observed digest and which other digests run
 * beside it (mid-rollout).
 *
 * @public
 */
export type ObservationDetails = Schemas['ObservationDetails'];

/**
 * The body of `POST /v1/observations`.
 *
 * @public
 */
export type ObservationsRequest = Schemas['ObservationsRequest'];

/**
 * The four DORA figures of one environment over a window of days.
 *
 * @public
 */
export type DeliveryMetrics = Schemas['DeliveryMetrics'];

/**
 * The answer of `GET /v1/entities/{kind}/{namespace}/{name}/environments`: the
 * pipeline and its environments, in pipeline order.
 *
 * @public
 */
export type EnvironmentsResponse = Schemas['EnvironmentsResponse'];

/**
 * The body of `POST /v1/promotions`.
 *
 * @public
 */
export type PromotionRequest = Schemas['PromotionRequest'];

/**
 * The answer of a promotion dry run: every gate with its verdict; nothing was
 * stored.
 *
 * @public
 */
export type DryRunResult = Schemas['DryRunResult'];

/**
 * The body of `POST /v1/rollbacks`.
 *
 * @public
 */
export type RollbackRequest = Schemas['RollbackRequest'];

/**
 * One entry of the append-only audit trail.
 *
 * @public
 */
export type ReleaseEvent = Schemas['Event'];

/**
 * An audit event as stored and answered: a link of its entity's hash chain,
 * with its `hash` and the `prevHash` of the entity's previous event (null for
 * the first).
 *
 * @public
 */
export type RecordedReleaseEvent = Schemas['RecordedEvent'];

/**
 * The answer of `GET …/events/verify`: the entity's hash chain holds, or the
 * first event that does not.
 *
 * @public
 */
export type ChainVerification = Schemas['ChainVerification'];

/**
 * A page of a list answer, newest first.
 *
 * @public
 */
export type Page<T> = {
  items: T[];
  nextCursor: string | null;
};

/**
 * The catalog annotation that names an entity's pipeline.
 *
 * @public
 */
export const PIPELINE_ANNOTATION = 'immutable-releases/pipeline';

/**
 * The pipeline of an entity without the annotation.
 *
 * @public
 */
export const DEFAULT_PIPELINE_NAME = 'default';
