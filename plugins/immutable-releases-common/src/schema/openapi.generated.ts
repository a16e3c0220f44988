// Types of the Immutable Releases REST API: `paths` (every operation with its
// parameters, request body and responses) and `components` (the schemas).
//
// Generated from plugins/immutable-releases-backend/src/schema/openapi.yaml
// by `corepack yarn generate` (scripts/generate-openapi.js): do not edit it by
// hand. Edit the YAML document and run the command again.

export interface paths {
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Liveness of the plugin; needs no credentials. */
    get: operations['GetHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/releases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Registers an immutable release. Registering the identical body again answers 200 with the same release; the same entity and version with any other identity field is a 409. */
    post: operations['RegisterRelease'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/releases/{releaseId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description One release with its latest checks, its revocation and its latest deployment per environment. */
    get: operations['GetRelease'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/releases/{releaseId}/checks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Appends a check record to a release; the latest record per name counts. */
    post: operations['RecordCheck'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/releases/{releaseId}/attestations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The release's attestations, oldest first. */
    get: operations['ListAttestations'];
    put?: never;
    /** @description Appends an attestation (a Sigstore bundle) to a release. Its statement must name the release digest among its subjects. The same bundle again answers 200 with the attestation already recorded. It is not verified here - the `signature` and `provenance` gates verify attestations against an environment's keys when a promotion asks. */
    post: operations['RecordAttestation'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/releases/{releaseId}/revoke': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Revokes a release: it can never be promoted again, and environments still running it are flagged. */
    post: operations['RevokeRelease'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/entities/{kind}/{namespace}/{name}/releases': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description A page of the entity’s releases, newest first; with `version`, the page holding that one release (or an empty page). */
    get: operations['ListEntityReleases'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/entities/{kind}/{namespace}/{name}/environments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The entity’s pipeline and the status of each environment, in pipeline order: current release, deployments, drift and hold. */
    get: operations['GetEntityEnvironments'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/entities/{kind}/{namespace}/{name}/environments/{environment}/hold': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    /** @description Releases the hold set on an environment by a rollback, so automatic promotion into it resumes. */
    delete: operations['ReleaseHold'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/promotions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Requests a promotion of a release into an environment, behind its gates. With `dryRun: true` only evaluates the gates and stores nothing. */
    post: operations['RequestPromotion'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/rollbacks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Requests a rollback of an environment to an earlier release (by default the one that succeeded there before the current one) and holds the environment. */
    post: operations['RequestRollback'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/deployments/{deploymentId}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description One deployment with its status, transitions, gates, approvals and executor result. */
    get: operations['GetDeployment'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/entities/{kind}/{namespace}/{name}/deployments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description A page of the entity’s deployments, newest first, optionally of one environment or of one release. */
    get: operations['ListEntityDeployments'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/environments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description The fleet: every entity with releases (that the catalog knows, with a configured pipeline), each environment’s current release, drift status, hold and pending count, ordered by entity ref. `drift` keeps the entities with at least one environment in one of the given statuses, `owner` those the owner (a user or group ref) owns, `pipeline` those that follow it. A page may be shorter than `limit` while `nextCursor` is set. */
    get: operations['ListFleet'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/approvals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description What waits for the caller’s approval: pending deployments of environments that require approvals, still short of them, that the caller may decide on by the rules of `POST /v1/deployments/{deploymentId}/approvals` (a user, neither the requester nor the release’s creator unless the environment allows self-approval, not decided yet, with `immutable-releases.promotion.approve` on the entity), newest first. Empty for service credentials. A page may be empty while `nextCursor` is set. */
    get: operations['ListApprovals'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/deployments/{deploymentId}/approvals': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Approves or rejects a pending deployment. One reject rejects it; enough distinct approvals let it proceed. */
    post: operations['DecideApproval'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/deployments/{deploymentId}/cancel': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Cancels a deployment while it is still `pending`. */
    post: operations['CancelDeployment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/deployments/{deploymentId}/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Completion callback for asynchronous executors: reports that the deployment succeeded or failed. Needs `immutable-releases.promotion.create` on the entity and, in the `x-immutable-releases-callback-token` header, the callback token the executor received for this deployment (the webhook executor sends it in the same header); without it, 403. */
    post: operations['ReportDeploymentStatus'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/observations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** @description Reports what actually runs where (1–1000 observations); drift status is derived from them. Needs `immutable-releases.observation.create` on every entity of the batch. The batch is stored in one transaction, or not at all: an unknown entity (404) or an environment outside the entity’s pipeline (400) refuses it, naming the item as `observations/<index>/<field>`. */
    post: operations['ReportObservations'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/entities/{kind}/{namespace}/{name}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description A page of the entity’s audit events with their hashes, newest first (`order=oldest` for oldest first, as an export reads them). The filters keep the events that match all of them; a filter that matches nothing (an unknown id, a type never recorded) gives an empty page. A page may be shorter than `limit` only at the end. */
    get: operations['ListEntityEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/entities/{kind}/{namespace}/{name}/events/verify': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Recomputes the entity’s audit hash chain, oldest event first. An edited, deleted or re-ordered event answers `valid false` naming the first event that does not hold. */
    get: operations['VerifyEntityEvents'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/entities/{kind}/{namespace}/{name}/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** @description Delivery (DORA) metrics of one environment (default: the last of the pipeline) over the last `days` days (default 30, 1–365). An environment outside the entity’s pipeline is a 400. */
    get: operations['GetDeliveryMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description Backstage’s standard error body. */
    Error: {
      error: {
        /** @description E.g. `InputError`, `NotAllowedError`, `NotFoundError`, `ConflictError`. */
        name: string;
        message: string;
        stack?: string;
        cause?: unknown;
      } & {
        [key: string]: unknown;
      };
      request?: {
        method: string;
        url: string;
      };
      response: {
        statusCode: number;
      };
    } & {
      [key: string]: unknown;
    };
    /** @description The error body of a promotion refused by a hard gate: Backstage’s error body with the gate results at its top level. */
    GateConflictError: {
      error: {
        name: string;
        message: string;
      } & {
        [key: string]: unknown;
      };
      response: {
        statusCode: number;
      };
      gates: components['schemas']['Gate'][];
    } & {
      [key: string]: unknown;
    };
    Health: {
      /** @enum {string} */
      status: 'ok';
    };
    /** @description `<algorithm>:<hex>`: `sha256` with 64 or `sha512` with 128 lower-case hex characters. */
    Digest: string;
    /** @description An absolute http(s) URL. */
    HttpUrl: string;
    /**
     * @description Kinds of artifact a release can pin.
     * @enum {string}
     */
    ArtifactType: 'oci-image' | 'vm-image' | 'archive' | 'function' | 'other';
    /** @description An artifact pinned by digest; executors deploy `uri@digest`, never a tag. */
    Artifact: {
      type: components['schemas']['ArtifactType'];
      /** @description Where the artifact lives, without tag or digest, e.g. `ghcr.io/acme/shop`. */
      uri: string;
      digest: components['schemas']['Digest'];
    };
    /** @description Where the release was built from. */
    ReleaseSource: {
      repository?: string;
      commit?: string;
      branch?: string;
      /** Format: date-time */
      committedAt?: string;
    };
    /** @description The build that produced the artifact. */
    ReleaseBuild: {
      id?: string;
      url?: components['schemas']['HttpUrl'];
    };
    /** @description Free-form string labels, at most 64. */
    Labels: {
      [key: string]: string;
    };
    /** @enum {string} */
    CheckStatus: 'passed' | 'failed' | 'pending';
    CheckInput: {
      /** @description Name of the check, e.g. `unit-tests`. */
      name: string;
      status: components['schemas']['CheckStatus'];
      url?: components['schemas']['HttpUrl'];
      summary?: string;
    };
    RegisterReleaseRequest: {
      /** @description Catalog entity ref, e.g. `component:default/shop`. */
      entityRef: string;
      /** @description Unique per entity. */
      version: string;
      artifact: components['schemas']['Artifact'];
      source?: components['schemas']['ReleaseSource'];
      build?: components['schemas']['ReleaseBuild'];
      checks?: components['schemas']['CheckInput'][];
      labels?: components['schemas']['Labels'];
      /** @description Sigstore bundles recorded with the release, in the same transaction; one that is malformed or does not name the release digest refuses the whole registration. On a repeated registration they are not identity fields - those not yet recorded are appended. */
      attestations?: components['schemas']['AttestationInput'][];
    };
    AttestationInput: {
      /** @description A Sigstore bundle (JSON, media type v0.1 to v0.3) whose DSSE envelope holds an in-toto statement (`payloadType` `application/vnd.in-toto+json`) naming the release digest among its subjects. Stored as received. */
      bundle: {
        [key: string]: unknown;
      };
    };
    RevokeRequest: {
      reason: string;
    };
    PromotionRequest: {
      entityRef: string;
      releaseId: string;
      environment: string;
      reason?: string;
      /** @description Promote inside a freeze window; needs the freeze override permission. */
      override?: {
        reason: string;
      };
      /** @description Evaluate the gates only; nothing is stored. */
      dryRun?: boolean;
    };
    RollbackRequest: {
      entityRef: string;
      environment: string;
      /** @description Target release; defaults to the most recent release that succeeded in the environment before the current one. */
      releaseId?: string;
      reason: string;
    };
    ApprovalRequest: {
      /** @enum {string} */
      decision: 'approve' | 'reject';
      comment?: string;
    };
    CancelRequest: {
      reason?: string;
    };
    StatusCallbackRequest: {
      /** @enum {string} */
      status: 'succeeded' | 'failed';
      message?: string;
      url?: components['schemas']['HttpUrl'];
    };
    /** @description The digest seen running in one environment of one catalog entity. */
    ObservationInput: {
      /** @description A catalog entity ref, e.g. `component:default/checkout`. */
      entityRef: string;
      /** @description An environment of the entity’s pipeline. */
      environment: string;
      digest: components['schemas']['Digest'];
      /** @description Who observed it, e.g. a probe or agent name; defaults to the caller. */
      source?: string;
      /**
       * Format: date-time
       * @description Defaults to the time of the request.
       */
      observedAt?: string;
      details?: components['schemas']['ObservationDetails'];
    };
    /** @description How many instances (pods, machines) run the observed digest and which other digests run beside it, e.g. in the middle of a rollout, where the observed digest is the one most instances run. */
    ObservationDetails: {
      /** @description How many instances run the observed digest. */
      instances?: number;
      /** @description Other digests running at the same time, most instances first. */
      otherDigests?: {
        digest: components['schemas']['Digest'];
        instances: number;
      }[];
    };
    ObservationsRequest: {
      observations: components['schemas']['ObservationInput'][];
    };
    ObservationsAccepted: {
      accepted: number;
    };
    /** @description A check record; the latest record per name counts. */
    Check: {
      name: string;
      status: components['schemas']['CheckStatus'];
      url?: string;
      summary?: string;
      /** Format: date-time */
      recordedAt: string;
      recordedBy: string;
    };
    /** @description Who signed an attestation, as the bundle says (not yet verified) - the public key's hint, or the signing certificate's identity and issuer. */
    AttestationSigner: {
      keyHint?: string;
      certificateIdentity?: string;
      certificateIssuer?: string;
    };
    /** @description An attestation recorded on a release (the bundle itself is kept, not shown). */
    Attestation: {
      id: string;
      /** @description E.g. `https://slsa.dev/provenance/v1`. */
      predicateType: string;
      /** @description The digests of the statement's subjects, as `<algorithm>:<hex>`. */
      subjectDigests: string[];
      signer?: components['schemas']['AttestationSigner'];
      /** Format: date-time */
      recordedAt: string;
      recordedBy: string;
    };
    AttestationList: {
      items: components['schemas']['Attestation'][];
    };
    Revocation: {
      reason: string;
      /** Format: date-time */
      revokedAt: string;
      revokedBy: string;
    };
    /** @enum {string} */
    DeploymentKind: 'promotion' | 'rollback';
    /** @enum {string} */
    DeploymentStatus:
      | 'pending'
      | 'running'
      | 'verifying'
      | 'succeeded'
      | 'failed'
      | 'rejected'
      | 'cancelled'
      | 'superseded';
    /** @description The latest deployment of a release into one environment. */
    ReleaseDeploymentSummary: {
      environment: string;
      deploymentId: string;
      kind: components['schemas']['DeploymentKind'];
      status: components['schemas']['DeploymentStatus'];
      /** Format: date-time */
      updatedAt: string;
    };
    /** @description An immutable release. `checks`, `revocation` and `deployments` are present when one release is fetched by id. */
    Release: {
      id: string;
      /** @description Full, lower-cased `kind:namespace/name`. */
      entityRef: string;
      version: string;
      artifact: components['schemas']['Artifact'];
      source: components['schemas']['ReleaseSource'];
      build: components['schemas']['ReleaseBuild'];
      labels: {
        [key: string]: string;
      };
      /** Format: date-time */
      createdAt: string;
      createdBy: string;
      /** @description The latest record per check name. */
      checks?: components['schemas']['Check'][];
      revocation?: components['schemas']['Revocation'] | null;
      /** @description The latest deployment of this release per environment. */
      deployments?: components['schemas']['ReleaseDeploymentSummary'][];
      /** @description The release's attestations, oldest first. */
      attestations?: components['schemas']['Attestation'][];
    };
    ReleasePage: {
      items: components['schemas']['Release'][];
      nextCursor: string | null;
    };
    Transition: {
      status: components['schemas']['DeploymentStatus'];
      /** Format: date-time */
      at: string;
      actor: string;
      message: string;
    };
    /**
     * @description The gates a promotion is evaluated against. `approvals` makes a deployment wait instead of refusing it; a failure of any other refuses the promotion with a 409. Rollbacks are evaluated against `not-revoked` only.
     * @enum {string}
     */
    GateName:
      | 'not-revoked'
      | 'upstream'
      | 'soak-time'
      | 'required-checks'
      | 'signature'
      | 'provenance'
      | 'freeze-window'
      | 'approvals';
    Gate: {
      name: components['schemas']['GateName'];
      passed: boolean;
      message: string;
      /**
       * Format: date-time
       * @description When a failing gate will pass by itself: the end of a soak time still running.
       */
      passesAt?: string;
    };
    Approval: {
      approver: string;
      /** @enum {string} */
      decision: 'approve' | 'reject';
      comment?: string;
      /** Format: date-time */
      at: string;
    };
    ExecutorResult: {
      name: string;
      type: string;
      url?: string;
      /** @description The last lines of the executor’s output. */
      output?: string;
    };
    /** @description A request to make one environment of one entity run one release. */
    Deployment: {
      id: string;
      entityRef: string;
      environment: string;
      releaseId: string;
      release: {
        id: string;
        version: string;
        artifact: components['schemas']['Artifact'];
        /** @description Whether the release has been revoked since: it can no longer be deployed. */
        revoked?: boolean;
      };
      kind: components['schemas']['DeploymentKind'];
      status: components['schemas']['DeploymentStatus'];
      reason: string | null;
      requestedBy: string;
      /** Format: date-time */
      createdAt: string;
      /** Format: date-time */
      updatedAt: string;
      transitions: components['schemas']['Transition'][];
      gates: components['schemas']['Gate'][];
      approvals: components['schemas']['Approval'][];
      executor: components['schemas']['ExecutorResult'] | null;
    };
    FleetEnvironment: {
      name: string;
      currentRelease: {
        id: string;
        version: string;
      } | null;
      drift: {
        status: components['schemas']['DriftStatus'];
      };
      held: boolean;
      pendingCount: number;
    };
    FleetEntity: {
      entityRef: string;
      pipeline: string;
      environments: components['schemas']['FleetEnvironment'][];
    };
    FleetPage: {
      items: components['schemas']['FleetEntity'][];
      nextCursor: string | null;
    };
    DeploymentPage: {
      items: components['schemas']['Deployment'][];
      nextCursor: string | null;
    };
    /** @description The gates a promotion would be evaluated against. */
    DryRunResult: {
      gates: components['schemas']['Gate'][];
    };
    CurrentRelease: {
      id: string;
      version: string;
      artifact: components['schemas']['Artifact'];
      /** @description The deployment that made it current (in an entity's environments answer). */
      deploymentId?: string;
      revoked: boolean;
    };
    EnvironmentHold: {
      reason: string;
      /** Format: date-time */
      setAt: string;
      setBy: string;
      /** @description True when pending deployments wait too, not only automatic promotions: the outcome of a deployment is unknown (its backend stopped mid-way) until a person releases the hold or an observation tells what runs. */
      blocksDeployments?: boolean;
    };
    /**
     * @description `in-sync`: the observed digest is the current release’s; `drifted`: it is another release of this entity; `unmanaged`: it matches no release of this entity; `unknown`: no observation, or the latest is older than `immutableReleases.drift.staleAfter`.
     * @enum {string}
     */
    DriftStatus: 'in-sync' | 'drifted' | 'unmanaged' | 'unknown';
    /** @description A probe (or another observation source) could not tell what runs. */
    DriftObservationError: {
      message: string;
      /** Format: date-time */
      at: string;
      source: string;
    };
    /** @description What runs in an environment compared with what should. */
    EnvironmentDrift: {
      status: components['schemas']['DriftStatus'];
      observedDigest: string | null;
      /** Format: date-time */
      observedAt: string | null;
      /** @description Who reported the latest observation. */
      observedSource?: string | null;
      /** @description The latest observation's details, when it had any (e.g. the other digests running mid-rollout). */
      observedDetails?: components['schemas']['ObservationDetails'];
      /** @description The release of this entity whose digest was observed, if any. */
      observedRelease?: {
        id: string;
        version: string;
        revoked: boolean;
      } | null;
      /** @description The last failure to observe (e.g. a probe that timed out), when newer than the latest observation. */
      error?: components['schemas']['DriftObservationError'] | null;
    };
    EnvironmentStatus: {
      name: string;
      /** @description The upstream environment, if any. */
      from: string | null;
      /** @description The release of the latest succeeded deployment, or null. */
      currentRelease: components['schemas']['CurrentRelease'] | null;
      /** @description The deployment running or verifying now, or null. */
      currentDeployment: components['schemas']['Deployment'] | null;
      pendingDeployments: components['schemas']['Deployment'][];
      drift: components['schemas']['EnvironmentDrift'];
      hold: components['schemas']['EnvironmentHold'] | null;
    };
    EnvironmentsResponse: {
      pipeline: string;
      /** @description In pipeline order. */
      environments: components['schemas']['EnvironmentStatus'][];
    };
    /**
     * @description The types of audit event the backend records. Clients show an unknown type too: a newer backend may record more.
     * @enum {string}
     */
    EventType:
      | 'release.registered'
      | 'release.revoked'
      | 'check.recorded'
      | 'attestation.recorded'
      | 'deployment.requested'
      | 'deployment.running'
      | 'deployment.verifying'
      | 'deployment.succeeded'
      | 'deployment.failed'
      | 'deployment.rejected'
      | 'deployment.cancelled'
      | 'deployment.superseded'
      | 'approval.approved'
      | 'approval.rejected'
      | 'freeze.overridden'
      | 'promotion.skipped'
      | 'promotion.blocked'
      | 'rollback.skipped'
      | 'hold.set'
      | 'hold.released'
      | 'drift.changed';
    /** @description An event type (`deployment.failed`) or a group of them, the part before the dot with the dot (`deployment.`), which stands for every `EventType` of the group. */
    EventTypeFilter: string;
    /** @description One entry of the append-only audit trail. */
    Event: {
      id: string;
      /** @description One of `EventType`, e.g. `release.registered`, `deployment.succeeded`. */
      type: string;
      entityRef: string;
      environment?: string;
      releaseId?: string;
      deploymentId?: string;
      /** @description A user entity ref or a service subject. */
      actor: string;
      /** Format: date-time */
      at: string;
      details: {
        [key: string]: unknown;
      };
    };
    /** @description An event as stored, a link of its entity’s hash chain. `hash` is `sha256:` and the hex SHA-256 of the canonical JSON of the event’s fields and `prevHash` (docs/audit-trail.md). */
    RecordedEvent: components['schemas']['Event'] & {
      hash: string;
      /** @description The hash of the entity’s previous event; null for its first event. */
      prevHash: string | null;
    };
    /** @description The entity’s hash chain recomputed, oldest event first. Valid, with the number of events and the last hash (null without events); or broken at the first event that does not hold. */
    ChainVerification:
      | {
          /** @constant */
          valid: true;
          events: number;
          head: string | null;
        }
      | {
          /** @constant */
          valid: false;
          /** @description The id of the first event that does not hold. */
          brokenAt: string;
          /** @description How many events before it hold. */
          events: number;
          reason: string;
        };
    EventPage: {
      items: components['schemas']['RecordedEvent'][];
      nextCursor: string | null;
    };
    /** @description The four DORA figures for one environment over the last `days` days, from the deployments that ended `succeeded` or `failed` in that window. A figure without data is null. Percentiles are nearest-rank. */
    DeliveryMetrics: {
      /** @description The environment the figures are for. */
      environment: string;
      /** @description The length of the window. */
      days: number;
      /** @description Succeeded deployments (promotions and rollbacks) that finished in the window, divided by `days`; 0 without any. */
      deploymentFrequency: number;
      /** @description For succeeded promotions: from the release’s `source.committedAt` (else its creation) to the deployment’s success. */
      leadTimeSeconds: {
        p50: number | null;
        p90: number | null;
      };
      /** @description (Failed deployments + rollbacks) / deployments that ended succeeded or failed, 0–1; a failed rollback counts once. */
      changeFailureRate: number | null;
      /** @description From a failure (when it failed) or a rollback (when it was requested) to the next succeeded deployment in the environment; failures before the same success count once, from the earliest. */
      timeToRestoreSeconds: {
        p50: number | null;
      };
    };
  };
  responses: {
    /** @description Malformed input (`InputError`); the message names the field. */
    BadRequest: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description Missing or invalid credentials. */
    Unauthorized: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The caller lacks the permission (`NotAllowedError`). */
    Forbidden: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description Unknown entity, release or deployment (`NotFoundError`). */
    NotFound: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
    /** @description The request conflicts with the current state (`ConflictError`). */
    Conflict: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['Error'];
      };
    };
  };
  parameters: {
    /** @description Kind of the catalog entity, e.g. `component`. */
    kind: string;
    /** @description Namespace of the catalog entity, e.g. `default`. */
    namespace: string;
    /** @description Name of the catalog entity. */
    name: string;
    /** @description Opaque release id. */
    releaseId: string;
    /** @description Opaque deployment id. */
    deploymentId: string;
    /** @description Name of an environment of the entity’s pipeline. */
    environmentPath: string;
    /** @description Only this environment. */
    environmentQuery: string;
    /** @description Page size, 1–200. */
    limit: number;
    /** @description Opaque cursor: the `nextCursor` of the previous page, as it was. */
    cursor: string;
    /** @description Only the release with exactly this version (versions are unique per entity); the page holds it or is empty. */
    versionQuery: string;
    /** @description Length of the window the figures are computed over. */
    days: number;
  };
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  GetHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The plugin is up. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
    };
  };
  RegisterRelease: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RegisterReleaseRequest'];
      };
    };
    responses: {
      /** @description The identical release was already registered. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Release'];
        };
      };
      /** @description The release was registered. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Release'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      /** @description The entity is not in the catalog (unless `immutableReleases.requireCatalogEntity` is false). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The entity already has this version with other identity fields. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  GetRelease: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Opaque release id. */
        releaseId: components['parameters']['releaseId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The release. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Release'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
  RecordCheck: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Opaque release id. */
        releaseId: components['parameters']['releaseId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['CheckInput'];
      };
    };
    responses: {
      /** @description The check was recorded. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Check'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
  ListAttestations: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Opaque release id. */
        releaseId: components['parameters']['releaseId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The attestations. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['AttestationList'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
  RecordAttestation: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Opaque release id. */
        releaseId: components['parameters']['releaseId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['AttestationInput'];
      };
    };
    responses: {
      /** @description The same bundle was already recorded on this release. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Attestation'];
        };
      };
      /** @description The attestation was recorded. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Attestation'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
  RevokeRelease: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Opaque release id. */
        releaseId: components['parameters']['releaseId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RevokeRequest'];
      };
    };
    responses: {
      /** @description The revoked release. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Release'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
    };
  };
  ListEntityReleases: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: components['parameters']['limit'];
        /** @description Opaque cursor: the `nextCursor` of the previous page, as it was. */
        cursor?: components['parameters']['cursor'];
        /** @description Only the release with exactly this version (versions are unique per entity); the page holds it or is empty. */
        version?: components['parameters']['versionQuery'];
      };
      header?: never;
      path: {
        /** @description Kind of the catalog entity, e.g. `component`. */
        kind: components['parameters']['kind'];
        /** @description Namespace of the catalog entity, e.g. `default`. */
        namespace: components['parameters']['namespace'];
        /** @description Name of the catalog entity. */
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of releases. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReleasePage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
    };
  };
  GetEntityEnvironments: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Kind of the catalog entity, e.g. `component`. */
        kind: components['parameters']['kind'];
        /** @description Namespace of the catalog entity, e.g. `default`. */
        namespace: components['parameters']['namespace'];
        /** @description Name of the catalog entity. */
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The pipeline and its environments. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EnvironmentsResponse'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
  ReleaseHold: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Kind of the catalog entity, e.g. `component`. */
        kind: components['parameters']['kind'];
        /** @description Namespace of the catalog entity, e.g. `default`. */
        namespace: components['parameters']['namespace'];
        /** @description Name of the catalog entity. */
        name: components['parameters']['name'];
        /** @description Name of an environment of the entity’s pipeline. */
        environment: components['parameters']['environmentPath'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The environment is no longer held. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
  RequestPromotion: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['PromotionRequest'];
      };
    };
    responses: {
      /** @description Dry run: the gate results; nothing was stored. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DryRunResult'];
        };
      };
      /** @description The deployment was created; it may wait `pending` for approvals or its turn. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Deployment'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description A hard gate failed; the body carries the gate results at its top level. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['GateConflictError'];
        };
      };
    };
  };
  RequestRollback: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RollbackRequest'];
      };
    };
    responses: {
      /** @description The rollback deployment was created. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Deployment'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      /** @description No release to roll back to, or the target is revoked. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  GetDeployment: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Opaque deployment id. */
        deploymentId: components['parameters']['deploymentId'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The deployment. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Deployment'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
  ListEntityDeployments: {
    parameters: {
      query?: {
        /** @description Only this environment. */
        environment?: components['parameters']['environmentQuery'];
        /** @description Only deployments of this release. */
        releaseId?: string;
        /** @description Page size, 1–200. */
        limit?: components['parameters']['limit'];
        /** @description Opaque cursor: the `nextCursor` of the previous page, as it was. */
        cursor?: components['parameters']['cursor'];
      };
      header?: never;
      path: {
        /** @description Kind of the catalog entity, e.g. `component`. */
        kind: components['parameters']['kind'];
        /** @description Namespace of the catalog entity, e.g. `default`. */
        namespace: components['parameters']['namespace'];
        /** @description Name of the catalog entity. */
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of deployments. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeploymentPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
    };
  };
  ListFleet: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: components['parameters']['limit'];
        /** @description Opaque cursor: the `nextCursor` of the previous page, as it was. */
        cursor?: components['parameters']['cursor'];
        /** @description Drift statuses, repeatable (`?drift=unmanaged&drift=drifted`). */
        drift?: components['schemas']['DriftStatus'][];
        /** @description An owner entity ref, e.g. `group:default/payments`. */
        owner?: string;
        pipeline?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of the fleet. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FleetPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
    };
  };
  ListApprovals: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: components['parameters']['limit'];
        /** @description Opaque cursor: the `nextCursor` of the previous page, as it was. */
        cursor?: components['parameters']['cursor'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of deployments waiting for the caller’s approval. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeploymentPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
    };
  };
  DecideApproval: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Opaque deployment id. */
        deploymentId: components['parameters']['deploymentId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ApprovalRequest'];
      };
    };
    responses: {
      /** @description The decision was recorded; the updated deployment. */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Deployment'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
    };
  };
  CancelDeployment: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Opaque deployment id. */
        deploymentId: components['parameters']['deploymentId'];
      };
      cookie?: never;
    };
    requestBody?: {
      content: {
        'application/json': components['schemas']['CancelRequest'];
      };
    };
    responses: {
      /** @description The cancelled deployment. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Deployment'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
    };
  };
  ReportDeploymentStatus: {
    parameters: {
      query?: never;
      header?: {
        /** @description The callback token the executor received when the deployment started. */
        'x-immutable-releases-callback-token'?: string;
      };
      path: {
        /** @description Opaque deployment id. */
        deploymentId: components['parameters']['deploymentId'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['StatusCallbackRequest'];
      };
    };
    responses: {
      /** @description The report was recorded; the updated deployment. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Deployment'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
      409: components['responses']['Conflict'];
    };
  };
  ReportObservations: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ObservationsRequest'];
      };
    };
    responses: {
      /** @description The observations were accepted. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ObservationsAccepted'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
  ListEntityEvents: {
    parameters: {
      query?: {
        /** @description Page size, 1–200. */
        limit?: components['parameters']['limit'];
        /** @description Opaque cursor: the `nextCursor` of the previous page, as it was. */
        cursor?: components['parameters']['cursor'];
        /** @description `newest` (default) or `oldest` first. */
        order?: 'newest' | 'oldest';
        /** @description Only the events of this environment (any name the trail holds, also one no longer in the pipeline). */
        environment?: string;
        /** @description Event types, repeatable; an event matches any of them. Each is an exact type (`deployment.failed`) or a group: the part before the dot, with the dot (`deployment.` for every `deployment.*` type of `EventType`); a group of no known type is a 400. E.g. `?type=approval.&type=deployment.failed`. */
        type?: components['schemas']['EventTypeFilter'][];
        /** @description Only the events of this actor, exactly as events name it (a user entity ref such as `user:default/alice`, or a service subject). */
        actor?: string;
        /** @description Only the events of this deployment. */
        deploymentId?: string;
        /** @description Only the events of this release (its registration, checks, deployments …). */
        releaseId?: string;
      };
      header?: never;
      path: {
        /** @description Kind of the catalog entity, e.g. `component`. */
        kind: components['parameters']['kind'];
        /** @description Namespace of the catalog entity, e.g. `default`. */
        namespace: components['parameters']['namespace'];
        /** @description Name of the catalog entity. */
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A page of audit events. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['EventPage'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
    };
  };
  VerifyEntityEvents: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description Kind of the catalog entity, e.g. `component`. */
        kind: components['parameters']['kind'];
        /** @description Namespace of the catalog entity, e.g. `default`. */
        namespace: components['parameters']['namespace'];
        /** @description Name of the catalog entity. */
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Whether the chain holds. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ChainVerification'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
    };
  };
  GetDeliveryMetrics: {
    parameters: {
      query?: {
        /** @description Only this environment. */
        environment?: components['parameters']['environmentQuery'];
        /** @description Length of the window the figures are computed over. */
        days?: components['parameters']['days'];
      };
      header?: never;
      path: {
        /** @description Kind of the catalog entity, e.g. `component`. */
        kind: components['parameters']['kind'];
        /** @description Namespace of the catalog entity, e.g. `default`. */
        namespace: components['parameters']['namespace'];
        /** @description Name of the catalog entity. */
        name: components['parameters']['name'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The four DORA figures. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['DeliveryMetrics'];
        };
      };
      400: components['responses']['BadRequest'];
      401: components['responses']['Unauthorized'];
      403: components['responses']['Forbidden'];
      404: components['responses']['NotFound'];
    };
  };
}
