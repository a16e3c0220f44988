// The OpenAPI document of the Immutable Releases REST API as a TypeScript
// constant, for `createValidatedOpenApiRouter<typeof spec>(spec)`.
//
// Generated from plugins/immutable-releases-backend/src/schema/openapi.yaml
// by `corepack yarn generate` (scripts/generate-openapi.js): do not edit it by
// hand. Edit the YAML document and run the command again.

export const spec = {
  openapi: '3.1.0',
  info: {
    title: 'immutable-releases',
    version: '1',
    description:
      'Registry of immutable releases (artifacts pinned by digest) per catalog entity, gated promotions and rollbacks between environments, drift detection and an audit trail.\n\nAll paths are relative to the plugin base URL, usually `/api/immutable-releases`. Every route but `/health` needs Backstage credentials: a user token, or a service or static token configured under `backend.auth.externalAccess`, sent as `Authorization: Bearer <token>`.\n\nLists are paginated with `limit` (1–200, default 50) and an opaque `cursor`, newest first.',
    license: {
      name: 'Apache-2.0',
      url: 'http://www.apache.org/licenses/LICENSE-2.0.html',
    },
  },
  servers: [
    {
      url: '/',
    },
  ],
  tags: [
    {
      name: 'Health',
    },
    {
      name: 'Releases',
    },
    {
      name: 'Environments',
    },
    {
      name: 'Deployments',
    },
    {
      name: 'Observations',
    },
    {
      name: 'Audit',
    },
  ],
  security: [
    {
      JWT: [],
    },
  ],
  components: {
    securitySchemes: {
      JWT: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
      },
    },
    parameters: {
      kind: {
        name: 'kind',
        in: 'path',
        required: true,
        description: 'Kind of the catalog entity, e.g. `component`.',
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
        },
      },
      namespace: {
        name: 'namespace',
        in: 'path',
        required: true,
        description: 'Namespace of the catalog entity, e.g. `default`.',
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
        },
      },
      name: {
        name: 'name',
        in: 'path',
        required: true,
        description: 'Name of the catalog entity.',
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
        },
      },
      releaseId: {
        name: 'releaseId',
        in: 'path',
        required: true,
        description: 'Opaque release id.',
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
        },
      },
      deploymentId: {
        name: 'deploymentId',
        in: 'path',
        required: true,
        description: 'Opaque deployment id.',
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
        },
      },
      environmentPath: {
        name: 'environment',
        in: 'path',
        required: true,
        description: 'Name of an environment of the entity’s pipeline.',
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
        },
      },
      environmentQuery: {
        name: 'environment',
        in: 'query',
        required: false,
        description: 'Only this environment.',
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
        },
      },
      limit: {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'Page size, 1–200.',
        schema: {
          type: 'integer',
          minimum: 1,
          maximum: 200,
          default: 50,
        },
      },
      cursor: {
        name: 'cursor',
        in: 'query',
        required: false,
        description:
          'Opaque cursor: the `nextCursor` of the previous page, as it was.',
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 2048,
        },
      },
      versionQuery: {
        name: 'version',
        in: 'query',
        required: false,
        description:
          'Only the release with exactly this version (versions are unique per entity); the page holds it or is empty.',
        schema: {
          type: 'string',
          minLength: 1,
          maxLength: 200,
        },
      },
      days: {
        name: 'days',
        in: 'query',
        required: false,
        description: 'Length of the window the figures are computed over.',
        schema: {
          type: 'integer',
          minimum: 1,
          maximum: 365,
          default: 30,
        },
      },
    },
    responses: {
      BadRequest: {
        description:
          'Malformed input (`InputError`); the message names the field.',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
      Unauthorized: {
        description: 'Missing or invalid credentials.',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
      Forbidden: {
        description: 'The caller lacks the permission (`NotAllowedError`).',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
      NotFound: {
        description: 'Unknown entity, release or deployment (`NotFoundError`).',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
      Conflict: {
        description:
          'The request conflicts with the current state (`ConflictError`).',
        content: {
          'application/json': {
            schema: {
              $ref: '#/components/schemas/Error',
            },
          },
        },
      },
    },
    schemas: {
      Error: {
        type: 'object',
        description: 'Backstage’s standard error body.',
        properties: {
          error: {
            type: 'object',
            properties: {
              name: {
                type: 'string',
                description:
                  'E.g. `InputError`, `NotAllowedError`, `NotFoundError`, `ConflictError`.',
              },
              message: {
                type: 'string',
              },
              stack: {
                type: 'string',
              },
              cause: {},
            },
            required: ['name', 'message'],
            additionalProperties: {},
          },
          request: {
            type: 'object',
            properties: {
              method: {
                type: 'string',
              },
              url: {
                type: 'string',
              },
            },
            required: ['method', 'url'],
          },
          response: {
            type: 'object',
            properties: {
              statusCode: {
                type: 'integer',
              },
            },
            required: ['statusCode'],
          },
        },
        required: ['error', 'response'],
        additionalProperties: {},
      },
      GateConflictError: {
        type: 'object',
        description:
          'The error body of a promotion refused by a hard gate: Backstage’s error body with the gate results at its top level.',
        properties: {
          error: {
            type: 'object',
            properties: {
              name: {
                type: 'string',
              },
              message: {
                type: 'string',
              },
            },
            required: ['name', 'message'],
            additionalProperties: {},
          },
          response: {
            type: 'object',
            properties: {
              statusCode: {
                type: 'integer',
              },
            },
            required: ['statusCode'],
          },
          gates: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Gate',
            },
          },
        },
        required: ['error', 'response', 'gates'],
        additionalProperties: {},
      },
      Health: {
        type: 'object',
        properties: {
          status: {
            type: 'string',
            enum: ['ok'],
          },
        },
        required: ['status'],
      },
      Digest: {
        type: 'string',
        description:
          '`<algorithm>:<hex>`: `sha256` with 64 or `sha512` with 128 lower-case hex characters.',
        pattern: '^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$',
      },
      HttpUrl: {
        type: 'string',
        description: 'An absolute http(s) URL.',
        minLength: 1,
        maxLength: 2048,
        pattern: '^https?://',
      },
      ArtifactType: {
        type: 'string',
        description: 'Kinds of artifact a release can pin.',
        enum: ['oci-image', 'vm-image', 'archive', 'function', 'other'],
      },
      Artifact: {
        type: 'object',
        description:
          'An artifact pinned by digest; executors deploy `uri@digest`, never a tag.',
        properties: {
          type: {
            $ref: '#/components/schemas/ArtifactType',
          },
          uri: {
            type: 'string',
            description:
              'Where the artifact lives, without tag or digest, e.g. `ghcr.io/acme/shop`.',
            minLength: 1,
            maxLength: 2048,
          },
          digest: {
            $ref: '#/components/schemas/Digest',
          },
        },
        required: ['type', 'uri', 'digest'],
        additionalProperties: false,
      },
      ReleaseSource: {
        type: 'object',
        description: 'Where the release was built from.',
        properties: {
          repository: {
            type: 'string',
            minLength: 1,
            maxLength: 2048,
          },
          commit: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          branch: {
            type: 'string',
            minLength: 1,
            maxLength: 255,
          },
          committedAt: {
            type: 'string',
            format: 'date-time',
          },
        },
        additionalProperties: false,
      },
      ReleaseBuild: {
        type: 'object',
        description: 'The build that produced the artifact.',
        properties: {
          id: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          url: {
            $ref: '#/components/schemas/HttpUrl',
          },
        },
        additionalProperties: false,
      },
      Labels: {
        type: 'object',
        description: 'Free-form string labels, at most 64.',
        maxProperties: 64,
        propertyNames: {
          minLength: 1,
          maxLength: 200,
        },
        additionalProperties: {
          type: 'string',
          maxLength: 2000,
        },
      },
      CheckStatus: {
        type: 'string',
        enum: ['passed', 'failed', 'pending'],
      },
      CheckInput: {
        type: 'object',
        properties: {
          name: {
            type: 'string',
            description: 'Name of the check, e.g. `unit-tests`.',
            minLength: 1,
            maxLength: 200,
          },
          status: {
            $ref: '#/components/schemas/CheckStatus',
          },
          url: {
            $ref: '#/components/schemas/HttpUrl',
          },
          summary: {
            type: 'string',
            maxLength: 2000,
          },
        },
        required: ['name', 'status'],
        additionalProperties: false,
      },
      RegisterReleaseRequest: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
            description: 'Catalog entity ref, e.g. `component:default/shop`.',
            minLength: 1,
            maxLength: 255,
          },
          version: {
            type: 'string',
            description: 'Unique per entity.',
            minLength: 1,
            maxLength: 200,
          },
          artifact: {
            $ref: '#/components/schemas/Artifact',
          },
          source: {
            $ref: '#/components/schemas/ReleaseSource',
          },
          build: {
            $ref: '#/components/schemas/ReleaseBuild',
          },
          checks: {
            type: 'array',
            maxItems: 100,
            items: {
              $ref: '#/components/schemas/CheckInput',
            },
          },
          labels: {
            $ref: '#/components/schemas/Labels',
          },
          attestations: {
            type: 'array',
            description:
              'Sigstore bundles recorded with the release, in the same transaction; one that is malformed or does not name the release digest refuses the whole registration. On a repeated registration they are not identity fields - those not yet recorded are appended.',
            maxItems: 10,
            items: {
              $ref: '#/components/schemas/AttestationInput',
            },
          },
        },
        required: ['entityRef', 'version', 'artifact'],
        additionalProperties: false,
      },
      AttestationInput: {
        type: 'object',
        properties: {
          bundle: {
            type: 'object',
            description:
              'A Sigstore bundle (JSON, media type v0.1 to v0.3) whose DSSE envelope holds an in-toto statement (`payloadType` `application/vnd.in-toto+json`) naming the release digest among its subjects. Stored as received.',
            additionalProperties: {},
          },
        },
        required: ['bundle'],
        additionalProperties: false,
      },
      RevokeRequest: {
        type: 'object',
        properties: {
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 2000,
          },
        },
        required: ['reason'],
        additionalProperties: false,
      },
      PromotionRequest: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
            minLength: 1,
            maxLength: 255,
          },
          releaseId: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          environment: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          reason: {
            type: 'string',
            maxLength: 2000,
          },
          override: {
            type: 'object',
            description:
              'Promote inside a freeze window; needs the freeze override permission.',
            properties: {
              reason: {
                type: 'string',
                minLength: 1,
                maxLength: 2000,
              },
            },
            required: ['reason'],
            additionalProperties: false,
          },
          dryRun: {
            type: 'boolean',
            description: 'Evaluate the gates only; nothing is stored.',
          },
        },
        required: ['entityRef', 'releaseId', 'environment'],
        additionalProperties: false,
      },
      RollbackRequest: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
            minLength: 1,
            maxLength: 255,
          },
          environment: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
          },
          releaseId: {
            type: 'string',
            description:
              'Target release; defaults to the most recent release that succeeded in the environment before the current one.',
            minLength: 1,
            maxLength: 200,
          },
          reason: {
            type: 'string',
            minLength: 1,
            maxLength: 2000,
          },
        },
        required: ['entityRef', 'environment', 'reason'],
        additionalProperties: false,
      },
      ApprovalRequest: {
        type: 'object',
        properties: {
          decision: {
            type: 'string',
            enum: ['approve', 'reject'],
          },
          comment: {
            type: 'string',
            maxLength: 2000,
          },
        },
        required: ['decision'],
        additionalProperties: false,
      },
      CancelRequest: {
        type: 'object',
        properties: {
          reason: {
            type: 'string',
            maxLength: 2000,
          },
        },
        additionalProperties: false,
      },
      StatusCallbackRequest: {
        type: 'object',
        properties: {
          status: {
            type: 'string',
            enum: ['succeeded', 'failed'],
          },
          message: {
            type: 'string',
            maxLength: 2000,
          },
          url: {
            $ref: '#/components/schemas/HttpUrl',
          },
        },
        required: ['status'],
        additionalProperties: false,
      },
      ObservationInput: {
        type: 'object',
        description:
          'The digest seen running in one environment of one catalog entity.',
        properties: {
          entityRef: {
            type: 'string',
            minLength: 1,
            maxLength: 255,
            description:
              'A catalog entity ref, e.g. `component:default/checkout`.',
          },
          environment: {
            type: 'string',
            minLength: 1,
            maxLength: 200,
            description: 'An environment of the entity’s pipeline.',
          },
          digest: {
            $ref: '#/components/schemas/Digest',
          },
          source: {
            type: 'string',
            description:
              'Who observed it, e.g. a probe or agent name; defaults to the caller.',
            minLength: 1,
            maxLength: 200,
          },
          observedAt: {
            type: 'string',
            format: 'date-time',
            description: 'Defaults to the time of the request.',
          },
          details: {
            $ref: '#/components/schemas/ObservationDetails',
          },
        },
        required: ['entityRef', 'environment', 'digest'],
        additionalProperties: false,
      },
      ObservationDetails: {
        type: 'object',
        description:
          'How many instances (pods, machines) run the observed digest and which other digests run beside it, e.g. in the middle of a rollout, where the observed digest is the one most instances run.',
        properties: {
          instances: {
            type: 'integer',
            minimum: 1,
            description: 'How many instances run the observed digest.',
          },
          otherDigests: {
            type: 'array',
            maxItems: 20,
            description:
              'Other digests running at the same time, most instances first.',
            items: {
              type: 'object',
              properties: {
                digest: {
                  $ref: '#/components/schemas/Digest',
                },
                instances: {
                  type: 'integer',
                  minimum: 1,
                },
              },
              required: ['digest', 'instances'],
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
      ObservationsRequest: {
        type: 'object',
        properties: {
          observations: {
            type: 'array',
            minItems: 1,
            maxItems: 1000,
            items: {
              $ref: '#/components/schemas/ObservationInput',
            },
          },
        },
        required: ['observations'],
        additionalProperties: false,
      },
      ObservationsAccepted: {
        type: 'object',
        properties: {
          accepted: {
            type: 'integer',
            minimum: 0,
          },
        },
        required: ['accepted'],
      },
      Check: {
        type: 'object',
        description: 'A check record; the latest record per name counts.',
        properties: {
          name: {
            type: 'string',
          },
          status: {
            $ref: '#/components/schemas/CheckStatus',
          },
          url: {
            type: 'string',
          },
          summary: {
            type: 'string',
          },
          recordedAt: {
            type: 'string',
            format: 'date-time',
          },
          recordedBy: {
            type: 'string',
          },
        },
        required: ['name', 'status', 'recordedAt', 'recordedBy'],
      },
      AttestationSigner: {
        type: 'object',
        description:
          "Who signed an attestation, as the bundle says (not yet verified) - the public key's hint, or the signing certificate's identity and issuer.",
        properties: {
          keyHint: {
            type: 'string',
          },
          certificateIdentity: {
            type: 'string',
          },
          certificateIssuer: {
            type: 'string',
          },
        },
      },
      Attestation: {
        type: 'object',
        description:
          'An attestation recorded on a release (the bundle itself is kept, not shown).',
        properties: {
          id: {
            type: 'string',
          },
          predicateType: {
            type: 'string',
            description: 'E.g. `https://slsa.dev/provenance/v1`.',
          },
          subjectDigests: {
            type: 'array',
            description:
              "The digests of the statement's subjects, as `<algorithm>:<hex>`.",
            items: {
              type: 'string',
            },
          },
          signer: {
            $ref: '#/components/schemas/AttestationSigner',
          },
          recordedAt: {
            type: 'string',
            format: 'date-time',
          },
          recordedBy: {
            type: 'string',
          },
        },
        required: [
          'id',
          'predicateType',
          'subjectDigests',
          'recordedAt',
          'recordedBy',
        ],
      },
      AttestationList: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Attestation',
            },
          },
        },
        required: ['items'],
      },
      Revocation: {
        type: 'object',
        properties: {
          reason: {
            type: 'string',
          },
          revokedAt: {
            type: 'string',
            format: 'date-time',
          },
          revokedBy: {
            type: 'string',
          },
        },
        required: ['reason', 'revokedAt', 'revokedBy'],
      },
      DeploymentKind: {
        type: 'string',
        enum: ['promotion', 'rollback'],
      },
      DeploymentStatus: {
        type: 'string',
        enum: [
          'pending',
          'running',
          'verifying',
          'succeeded',
          'failed',
          'rejected',
          'cancelled',
          'superseded',
        ],
      },
      ReleaseDeploymentSummary: {
        type: 'object',
        description: 'The latest deployment of a release into one environment.',
        properties: {
          environment: {
            type: 'string',
          },
          deploymentId: {
            type: 'string',
          },
          kind: {
            $ref: '#/components/schemas/DeploymentKind',
          },
          status: {
            $ref: '#/components/schemas/DeploymentStatus',
          },
          updatedAt: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: [
          'environment',
          'deploymentId',
          'kind',
          'status',
          'updatedAt',
        ],
      },
      Release: {
        type: 'object',
        description:
          'An immutable release. `checks`, `revocation` and `deployments` are present when one release is fetched by id.',
        properties: {
          id: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
            description: 'Full, lower-cased `kind:namespace/name`.',
          },
          version: {
            type: 'string',
          },
          artifact: {
            $ref: '#/components/schemas/Artifact',
          },
          source: {
            $ref: '#/components/schemas/ReleaseSource',
          },
          build: {
            $ref: '#/components/schemas/ReleaseBuild',
          },
          labels: {
            type: 'object',
            additionalProperties: {
              type: 'string',
            },
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          createdBy: {
            type: 'string',
          },
          checks: {
            type: 'array',
            description: 'The latest record per check name.',
            items: {
              $ref: '#/components/schemas/Check',
            },
          },
          revocation: {
            oneOf: [
              {
                $ref: '#/components/schemas/Revocation',
              },
              {
                type: 'null',
              },
            ],
          },
          deployments: {
            type: 'array',
            description:
              'The latest deployment of this release per environment.',
            items: {
              $ref: '#/components/schemas/ReleaseDeploymentSummary',
            },
          },
          attestations: {
            type: 'array',
            description: "The release's attestations, oldest first.",
            items: {
              $ref: '#/components/schemas/Attestation',
            },
          },
        },
        required: [
          'id',
          'entityRef',
          'version',
          'artifact',
          'source',
          'build',
          'labels',
          'createdAt',
          'createdBy',
        ],
      },
      ReleasePage: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Release',
            },
          },
          nextCursor: {
            type: ['string', 'null'],
          },
        },
        required: ['items', 'nextCursor'],
      },
      Transition: {
        type: 'object',
        properties: {
          status: {
            $ref: '#/components/schemas/DeploymentStatus',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
          actor: {
            type: 'string',
          },
          message: {
            type: 'string',
          },
        },
        required: ['status', 'at', 'actor', 'message'],
      },
      GateName: {
        type: 'string',
        description:
          'The gates a promotion is evaluated against. `approvals` makes a deployment wait instead of refusing it; a failure of any other refuses the promotion with a 409. Rollbacks are evaluated against `not-revoked` only.',
        enum: [
          'not-revoked',
          'upstream',
          'soak-time',
          'required-checks',
          'signature',
          'provenance',
          'freeze-window',
          'approvals',
        ],
      },
      Gate: {
        type: 'object',
        properties: {
          name: {
            $ref: '#/components/schemas/GateName',
          },
          passed: {
            type: 'boolean',
          },
          message: {
            type: 'string',
          },
          passesAt: {
            type: 'string',
            format: 'date-time',
            description:
              'When a failing gate will pass by itself: the end of a soak time still running.',
          },
        },
        required: ['name', 'passed', 'message'],
      },
      Approval: {
        type: 'object',
        properties: {
          approver: {
            type: 'string',
          },
          decision: {
            type: 'string',
            enum: ['approve', 'reject'],
          },
          comment: {
            type: 'string',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
        },
        required: ['approver', 'decision', 'at'],
      },
      ExecutorResult: {
        type: 'object',
        properties: {
          name: {
            type: 'string',
          },
          type: {
            type: 'string',
          },
          url: {
            type: 'string',
          },
          output: {
            type: 'string',
            description: 'The last lines of the executor’s output.',
          },
        },
        required: ['name', 'type'],
      },
      Deployment: {
        type: 'object',
        description:
          'A request to make one environment of one entity run one release.',
        properties: {
          id: {
            type: 'string',
          },
          entityRef: {
            type: 'string',
          },
          environment: {
            type: 'string',
          },
          releaseId: {
            type: 'string',
          },
          release: {
            type: 'object',
            properties: {
              id: {
                type: 'string',
              },
              version: {
                type: 'string',
              },
              artifact: {
                $ref: '#/components/schemas/Artifact',
              },
              revoked: {
                type: 'boolean',
                description:
                  'Whether the release has been revoked since: it can no longer be deployed.',
              },
            },
            required: ['id', 'version', 'artifact'],
          },
          kind: {
            $ref: '#/components/schemas/DeploymentKind',
          },
          status: {
            $ref: '#/components/schemas/DeploymentStatus',
          },
          reason: {
            type: ['string', 'null'],
          },
          requestedBy: {
            type: 'string',
          },
          createdAt: {
            type: 'string',
            format: 'date-time',
          },
          updatedAt: {
            type: 'string',
            format: 'date-time',
          },
          transitions: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Transition',
            },
          },
          gates: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Gate',
            },
          },
          approvals: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Approval',
            },
          },
          executor: {
            oneOf: [
              {
                $ref: '#/components/schemas/ExecutorResult',
              },
              {
                type: 'null',
              },
            ],
          },
        },
        required: [
          'id',
          'entityRef',
          'environment',
          'releaseId',
          'release',
          'kind',
          'status',
          'reason',
          'requestedBy',
          'createdAt',
          'updatedAt',
          'transitions',
          'gates',
          'approvals',
          'executor',
        ],
      },
      FleetEnvironment: {
        type: 'object',
        properties: {
          name: {
            type: 'string',
          },
          currentRelease: {
            oneOf: [
              {
                type: 'object',
                properties: {
                  id: {
                    type: 'string',
                  },
                  version: {
                    type: 'string',
                  },
                },
                required: ['id', 'version'],
              },
              {
                type: 'null',
              },
            ],
          },
          drift: {
            type: 'object',
            properties: {
              status: {
                $ref: '#/components/schemas/DriftStatus',
              },
            },
            required: ['status'],
          },
          held: {
            type: 'boolean',
          },
          pendingCount: {
            type: 'integer',
            minimum: 0,
          },
        },
        required: ['name', 'currentRelease', 'drift', 'held', 'pendingCount'],
      },
      FleetEntity: {
        type: 'object',
        properties: {
          entityRef: {
            type: 'string',
          },
          pipeline: {
            type: 'string',
          },
          environments: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/FleetEnvironment',
            },
          },
        },
        required: ['entityRef', 'pipeline', 'environments'],
      },
      FleetPage: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/FleetEntity',
            },
          },
          nextCursor: {
            type: ['string', 'null'],
          },
        },
        required: ['items', 'nextCursor'],
      },
      DeploymentPage: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Deployment',
            },
          },
          nextCursor: {
            type: ['string', 'null'],
          },
        },
        required: ['items', 'nextCursor'],
      },
      DryRunResult: {
        type: 'object',
        description: 'The gates a promotion would be evaluated against.',
        properties: {
          gates: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Gate',
            },
          },
        },
        required: ['gates'],
      },
      CurrentRelease: {
        type: 'object',
        properties: {
          id: {
            type: 'string',
          },
          version: {
            type: 'string',
          },
          artifact: {
            $ref: '#/components/schemas/Artifact',
          },
          deploymentId: {
            type: 'string',
            description:
              "The deployment that made it current (in an entity's environments answer).",
          },
          revoked: {
            type: 'boolean',
          },
        },
        required: ['id', 'version', 'artifact', 'revoked'],
      },
      EnvironmentHold: {
        type: 'object',
        properties: {
          reason: {
            type: 'string',
          },
          setAt: {
            type: 'string',
            format: 'date-time',
          },
          setBy: {
            type: 'string',
          },
          blocksDeployments: {
            type: 'boolean',
            description:
              'True when pending deployments wait too, not only automatic promotions: the outcome of a deployment is unknown (its backend stopped mid-way) until a person releases the hold or an observation tells what runs.',
          },
        },
        required: ['reason', 'setAt', 'setBy'],
      },
      DriftStatus: {
        type: 'string',
        description:
          '`in-sync`: the observed digest is the current release’s; `drifted`: it is another release of this entity; `unmanaged`: it matches no release of this entity; `unknown`: no observation, or the latest is older than `immutableReleases.drift.staleAfter`.',
        enum: ['in-sync', 'drifted', 'unmanaged', 'unknown'],
      },
      DriftObservationError: {
        type: 'object',
        description:
          'A probe (or another observation source) could not tell what runs.',
        properties: {
          message: {
            type: 'string',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
          source: {
            type: 'string',
          },
        },
        required: ['message', 'at', 'source'],
      },
      EnvironmentDrift: {
        type: 'object',
        description: 'What runs in an environment compared with what should.',
        properties: {
          status: {
            $ref: '#/components/schemas/DriftStatus',
          },
          observedDigest: {
            type: ['string', 'null'],
          },
          observedAt: {
            type: ['string', 'null'],
            format: 'date-time',
          },
          observedSource: {
            type: ['string', 'null'],
            description: 'Who reported the latest observation.',
          },
          observedDetails: {
            description:
              "The latest observation's details, when it had any (e.g. the other digests running mid-rollout).",
            $ref: '#/components/schemas/ObservationDetails',
          },
          observedRelease: {
            description:
              'The release of this entity whose digest was observed, if any.',
            oneOf: [
              {
                type: 'object',
                properties: {
                  id: {
                    type: 'string',
                  },
                  version: {
                    type: 'string',
                  },
                  revoked: {
                    type: 'boolean',
                  },
                },
                required: ['id', 'version', 'revoked'],
              },
              {
                type: 'null',
              },
            ],
          },
          error: {
            description:
              'The last failure to observe (e.g. a probe that timed out), when newer than the latest observation.',
            oneOf: [
              {
                $ref: '#/components/schemas/DriftObservationError',
              },
              {
                type: 'null',
              },
            ],
          },
        },
        required: ['status', 'observedDigest', 'observedAt'],
      },
      EnvironmentStatus: {
        type: 'object',
        properties: {
          name: {
            type: 'string',
          },
          from: {
            type: ['string', 'null'],
            description: 'The upstream environment, if any.',
          },
          currentRelease: {
            description:
              'The release of the latest succeeded deployment, or null.',
            oneOf: [
              {
                $ref: '#/components/schemas/CurrentRelease',
              },
              {
                type: 'null',
              },
            ],
          },
          currentDeployment: {
            description: 'The deployment running or verifying now, or null.',
            oneOf: [
              {
                $ref: '#/components/schemas/Deployment',
              },
              {
                type: 'null',
              },
            ],
          },
          pendingDeployments: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/Deployment',
            },
          },
          drift: {
            $ref: '#/components/schemas/EnvironmentDrift',
          },
          hold: {
            oneOf: [
              {
                $ref: '#/components/schemas/EnvironmentHold',
              },
              {
                type: 'null',
              },
            ],
          },
        },
        required: [
          'name',
          'from',
          'currentRelease',
          'currentDeployment',
          'pendingDeployments',
          'drift',
          'hold',
        ],
      },
      EnvironmentsResponse: {
        type: 'object',
        properties: {
          pipeline: {
            type: 'string',
          },
          environments: {
            type: 'array',
            description: 'In pipeline order.',
            items: {
              $ref: '#/components/schemas/EnvironmentStatus',
            },
          },
        },
        required: ['pipeline', 'environments'],
      },
      EventType: {
        type: 'string',
        description:
          'The types of audit event the backend records. Clients show an unknown type too: a newer backend may record more.',
        enum: [
          'release.registered',
          'release.revoked',
          'check.recorded',
          'attestation.recorded',
          'deployment.requested',
          'deployment.running',
          'deployment.verifying',
          'deployment.succeeded',
          'deployment.failed',
          'deployment.rejected',
          'deployment.cancelled',
          'deployment.superseded',
          'approval.approved',
          'approval.rejected',
          'freeze.overridden',
          'promotion.skipped',
          'promotion.blocked',
          'rollback.skipped',
          'hold.set',
          'hold.released',
          'drift.changed',
        ],
      },
      EventTypeFilter: {
        type: 'string',
        description:
          'An event type (`deployment.failed`) or a group of them, the part before the dot with the dot (`deployment.`), which stands for every `EventType` of the group.',
        pattern: '^[a-z][a-z0-9-]*\\.([a-z][a-z0-9_-]*)?$',
        maxLength: 64,
      },
      Event: {
        type: 'object',
        description: 'One entry of the append-only audit trail.',
        properties: {
          id: {
            type: 'string',
          },
          type: {
            type: 'string',
            description:
              'One of `EventType`, e.g. `release.registered`, `deployment.succeeded`.',
          },
          entityRef: {
            type: 'string',
          },
          environment: {
            type: 'string',
          },
          releaseId: {
            type: 'string',
          },
          deploymentId: {
            type: 'string',
          },
          actor: {
            type: 'string',
            description: 'A user entity ref or a service subject.',
          },
          at: {
            type: 'string',
            format: 'date-time',
          },
          details: {
            type: 'object',
            additionalProperties: {},
          },
        },
        required: ['id', 'type', 'entityRef', 'actor', 'at', 'details'],
      },
      RecordedEvent: {
        description:
          'An event as stored, a link of its entity’s hash chain. `hash` is `sha256:` and the hex SHA-256 of the canonical JSON of the event’s fields and `prevHash` (docs/audit-trail.md).',
        allOf: [
          {
            $ref: '#/components/schemas/Event',
          },
          {
            type: 'object',
            properties: {
              hash: {
                type: 'string',
                pattern: '^sha256:[0-9a-f]{64}$',
              },
              prevHash: {
                description:
                  'The hash of the entity’s previous event; null for its first event.',
                type: ['string', 'null'],
                pattern: '^sha256:[0-9a-f]{64}$',
              },
            },
            required: ['hash', 'prevHash'],
          },
        ],
      },
      ChainVerification: {
        description:
          'The entity’s hash chain recomputed, oldest event first. Valid, with the number of events and the last hash (null without events); or broken at the first event that does not hold.',
        oneOf: [
          {
            type: 'object',
            properties: {
              valid: {
                type: 'boolean',
                const: true,
              },
              events: {
                type: 'integer',
              },
              head: {
                type: ['string', 'null'],
              },
            },
            required: ['valid', 'events', 'head'],
          },
          {
            type: 'object',
            properties: {
              valid: {
                type: 'boolean',
                const: false,
              },
              brokenAt: {
                type: 'string',
                description: 'The id of the first event that does not hold.',
              },
              events: {
                type: 'integer',
                description: 'How many events before it hold.',
              },
              reason: {
                type: 'string',
              },
            },
            required: ['valid', 'brokenAt', 'events', 'reason'],
          },
        ],
      },
      EventPage: {
        type: 'object',
        properties: {
          items: {
            type: 'array',
            items: {
              $ref: '#/components/schemas/RecordedEvent',
            },
          },
          nextCursor: {
            type: ['string', 'null'],
          },
        },
        required: ['items', 'nextCursor'],
      },
      DeliveryMetrics: {
        type: 'object',
        description:
          'The four DORA figures for one environment over the last `days` days, from the deployments that ended `succeeded` or `failed` in that window. A figure without data is null. Percentiles are nearest-rank.',
        properties: {
          environment: {
            type: 'string',
            description: 'The environment the figures are for.',
          },
          days: {
            type: 'integer',
            description: 'The length of the window.',
          },
          deploymentFrequency: {
            type: 'number',
            description:
              'Succeeded deployments (promotions and rollbacks) that finished in the window, divided by `days`; 0 without any.',
          },
          leadTimeSeconds: {
            type: 'object',
            description:
              'For succeeded promotions: from the release’s `source.committedAt` (else its creation) to the deployment’s success.',
            properties: {
              p50: {
                type: ['number', 'null'],
              },
              p90: {
                type: ['number', 'null'],
              },
            },
            required: ['p50', 'p90'],
          },
          changeFailureRate: {
            type: ['number', 'null'],
            description:
              '(Failed deployments + rollbacks) / deployments that ended succeeded or failed, 0–1; a failed rollback counts once.',
          },
          timeToRestoreSeconds: {
            type: 'object',
            description:
              'From a failure (when it failed) or a rollback (when it was requested) to the next succeeded deployment in the environment; failures before the same success count once, from the earliest.',
            properties: {
              p50: {
                type: ['number', 'null'],
              },
            },
            required: ['p50'],
          },
        },
        required: [
          'environment',
          'days',
          'deploymentFrequency',
          'leadTimeSeconds',
          'changeFailureRate',
          'timeToRestoreSeconds',
        ],
      },
    },
  },
  paths: {
    '/health': {
      get: {
        operationId: 'GetHealth',
        tags: ['Health'],
        description: 'Liveness of the plugin; needs no credentials.',
        security: [],
        responses: {
          '200': {
            description: 'The plugin is up.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Health',
                },
              },
            },
          },
        },
      },
    },
    '/v1/releases': {
      post: {
        operationId: 'RegisterRelease',
        tags: ['Releases'],
        description:
          'Registers an immutable release. Registering the identical body again answers 200 with the same release; the same entity and version with any other identity field is a 409.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RegisterReleaseRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The identical release was already registered.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Release',
                },
              },
            },
          },
          '201': {
            description: 'The release was registered.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Release',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            description:
              'The entity is not in the catalog (unless `immutableReleases.requireCatalogEntity` is false).',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
          '409': {
            description:
              'The entity already has this version with other identity fields.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
        },
      },
    },
    '/v1/releases/{releaseId}': {
      get: {
        operationId: 'GetRelease',
        tags: ['Releases'],
        description:
          'One release with its latest checks, its revocation and its latest deployment per environment.',
        parameters: [
          {
            $ref: '#/components/parameters/releaseId',
          },
        ],
        responses: {
          '200': {
            description: 'The release.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Release',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
        },
      },
    },
    '/v1/releases/{releaseId}/checks': {
      post: {
        operationId: 'RecordCheck',
        tags: ['Releases'],
        description:
          'Appends a check record to a release; the latest record per name counts.',
        parameters: [
          {
            $ref: '#/components/parameters/releaseId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/CheckInput',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The check was recorded.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Check',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
        },
      },
    },
    '/v1/releases/{releaseId}/attestations': {
      post: {
        operationId: 'RecordAttestation',
        tags: ['Releases'],
        description:
          "Appends an attestation (a Sigstore bundle) to a release. Its statement must name the release digest among its subjects. The same bundle again answers 200 with the attestation already recorded. It is not verified here - the `signature` and `provenance` gates verify attestations against an environment's keys when a promotion asks.",
        parameters: [
          {
            $ref: '#/components/parameters/releaseId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/AttestationInput',
              },
            },
          },
        },
        responses: {
          '200': {
            description:
              'The same bundle was already recorded on this release.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Attestation',
                },
              },
            },
          },
          '201': {
            description: 'The attestation was recorded.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Attestation',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
        },
      },
      get: {
        operationId: 'ListAttestations',
        tags: ['Releases'],
        description: "The release's attestations, oldest first.",
        parameters: [
          {
            $ref: '#/components/parameters/releaseId',
          },
        ],
        responses: {
          '200': {
            description: 'The attestations.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/AttestationList',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
        },
      },
    },
    '/v1/releases/{releaseId}/revoke': {
      post: {
        operationId: 'RevokeRelease',
        tags: ['Releases'],
        description:
          'Revokes a release: it can never be promoted again, and environments still running it are flagged.',
        parameters: [
          {
            $ref: '#/components/parameters/releaseId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RevokeRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The revoked release.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Release',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
          '409': {
            $ref: '#/components/responses/Conflict',
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/releases': {
      get: {
        operationId: 'ListEntityReleases',
        tags: ['Releases'],
        description:
          'A page of the entity’s releases, newest first; with `version`, the page holding that one release (or an empty page).',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            $ref: '#/components/parameters/cursor',
          },
          {
            $ref: '#/components/parameters/versionQuery',
          },
        ],
        responses: {
          '200': {
            description: 'A page of releases.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ReleasePage',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/environments': {
      get: {
        operationId: 'GetEntityEnvironments',
        tags: ['Environments'],
        description:
          'The entity’s pipeline and the status of each environment, in pipeline order: current release, deployments, drift and hold.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'The pipeline and its environments.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/EnvironmentsResponse',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/environments/{environment}/hold': {
      delete: {
        operationId: 'ReleaseHold',
        tags: ['Environments'],
        description:
          'Releases the hold set on an environment by a rollback, so automatic promotion into it resumes.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/environmentPath',
          },
        ],
        responses: {
          '204': {
            description: 'The environment is no longer held.',
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
        },
      },
    },
    '/v1/promotions': {
      post: {
        operationId: 'RequestPromotion',
        tags: ['Deployments'],
        description:
          'Requests a promotion of a release into an environment, behind its gates. With `dryRun: true` only evaluates the gates and stores nothing.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/PromotionRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'Dry run: the gate results; nothing was stored.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DryRunResult',
                },
              },
            },
          },
          '202': {
            description:
              'The deployment was created; it may wait `pending` for approvals or its turn.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Deployment',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
          '409': {
            description:
              'A hard gate failed; the body carries the gate results at its top level.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/GateConflictError',
                },
              },
            },
          },
        },
      },
    },
    '/v1/rollbacks': {
      post: {
        operationId: 'RequestRollback',
        tags: ['Deployments'],
        description:
          'Requests a rollback of an environment to an earlier release (by default the one that succeeded there before the current one) and holds the environment.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/RollbackRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The rollback deployment was created.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Deployment',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
          '409': {
            description:
              'No release to roll back to, or the target is revoked.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Error',
                },
              },
            },
          },
        },
      },
    },
    '/v1/deployments/{deploymentId}': {
      get: {
        operationId: 'GetDeployment',
        tags: ['Deployments'],
        description:
          'One deployment with its status, transitions, gates, approvals and executor result.',
        parameters: [
          {
            $ref: '#/components/parameters/deploymentId',
          },
        ],
        responses: {
          '200': {
            description: 'The deployment.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Deployment',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/deployments': {
      get: {
        operationId: 'ListEntityDeployments',
        tags: ['Deployments'],
        description:
          'A page of the entity’s deployments, newest first, optionally of one environment or of one release.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/environmentQuery',
          },
          {
            name: 'releaseId',
            in: 'query',
            required: false,
            description: 'Only deployments of this release.',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 36,
            },
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            $ref: '#/components/parameters/cursor',
          },
        ],
        responses: {
          '200': {
            description: 'A page of deployments.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DeploymentPage',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
        },
      },
    },
    '/v1/environments': {
      get: {
        operationId: 'ListFleet',
        tags: ['Environments'],
        description:
          'The fleet: every entity with releases (that the catalog knows, with a configured pipeline), each environment’s current release, drift status, hold and pending count, ordered by entity ref. `drift` keeps the entities with at least one environment in one of the given statuses, `owner` those the owner (a user or group ref) owns, `pipeline` those that follow it. A page may be shorter than `limit` while `nextCursor` is set.',
        parameters: [
          {
            $ref: '#/components/parameters/limit',
          },
          {
            $ref: '#/components/parameters/cursor',
          },
          {
            name: 'drift',
            in: 'query',
            required: false,
            description:
              'Drift statuses, repeatable (`?drift=unmanaged&drift=drifted`).',
            style: 'form',
            explode: true,
            schema: {
              type: 'array',
              maxItems: 4,
              items: {
                $ref: '#/components/schemas/DriftStatus',
              },
            },
          },
          {
            name: 'owner',
            in: 'query',
            required: false,
            description: 'An owner entity ref, e.g. `group:default/payments`.',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 255,
            },
          },
          {
            name: 'pipeline',
            in: 'query',
            required: false,
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
        ],
        responses: {
          '200': {
            description: 'A page of the fleet.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/FleetPage',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
        },
      },
    },
    '/v1/approvals': {
      get: {
        operationId: 'ListApprovals',
        tags: ['Promotions'],
        description:
          'What waits for the caller’s approval: pending deployments of environments that require approvals, still short of them, that the caller may decide on by the rules of `POST /v1/deployments/{deploymentId}/approvals` (a user, neither the requester nor the release’s creator unless the environment allows self-approval, not decided yet, with `immutable-releases.promotion.approve` on the entity), newest first. Empty for service credentials. A page may be empty while `nextCursor` is set.',
        parameters: [
          {
            $ref: '#/components/parameters/limit',
          },
          {
            $ref: '#/components/parameters/cursor',
          },
        ],
        responses: {
          '200': {
            description:
              'A page of deployments waiting for the caller’s approval.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DeploymentPage',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
        },
      },
    },
    '/v1/deployments/{deploymentId}/approvals': {
      post: {
        operationId: 'DecideApproval',
        tags: ['Deployments'],
        description:
          'Approves or rejects a pending deployment. One reject rejects it; enough distinct approvals let it proceed.',
        parameters: [
          {
            $ref: '#/components/parameters/deploymentId',
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/ApprovalRequest',
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'The decision was recorded; the updated deployment.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Deployment',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
          '409': {
            $ref: '#/components/responses/Conflict',
          },
        },
      },
    },
    '/v1/deployments/{deploymentId}/cancel': {
      post: {
        operationId: 'CancelDeployment',
        tags: ['Deployments'],
        description: 'Cancels a deployment while it is still `pending`.',
        parameters: [
          {
            $ref: '#/components/parameters/deploymentId',
          },
        ],
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/CancelRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The cancelled deployment.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Deployment',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
          '409': {
            $ref: '#/components/responses/Conflict',
          },
        },
      },
    },
    '/v1/deployments/{deploymentId}/status': {
      post: {
        operationId: 'ReportDeploymentStatus',
        tags: ['Deployments'],
        description:
          'Completion callback for asynchronous executors: reports that the deployment succeeded or failed. Needs `immutable-releases.promotion.create` on the entity and, in the `x-immutable-releases-callback-token` header, the callback token the executor received for this deployment (the webhook executor sends it in the same header); without it, 403.',
        parameters: [
          {
            $ref: '#/components/parameters/deploymentId',
          },
          {
            name: 'x-immutable-releases-callback-token',
            in: 'header',
            required: false,
            description:
              'The callback token the executor received when the deployment started.',
            schema: {
              type: 'string',
            },
          },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/StatusCallbackRequest',
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'The report was recorded; the updated deployment.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/Deployment',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
          '409': {
            $ref: '#/components/responses/Conflict',
          },
        },
      },
    },
    '/v1/observations': {
      post: {
        operationId: 'ReportObservations',
        tags: ['Observations'],
        description:
          'Reports what actually runs where (1–1000 observations); drift status is derived from them. Needs `immutable-releases.observation.create` on every entity of the batch. The batch is stored in one transaction, or not at all: an unknown entity (404) or an environment outside the entity’s pipeline (400) refuses it, naming the item as `observations/<index>/<field>`.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                $ref: '#/components/schemas/ObservationsRequest',
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'The observations were accepted.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ObservationsAccepted',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/events': {
      get: {
        operationId: 'ListEntityEvents',
        tags: ['Audit'],
        description:
          'A page of the entity’s audit events with their hashes, newest first (`order=oldest` for oldest first, as an export reads them). The filters keep the events that match all of them; a filter that matches nothing (an unknown id, a type never recorded) gives an empty page. A page may be shorter than `limit` only at the end.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/limit',
          },
          {
            $ref: '#/components/parameters/cursor',
          },
          {
            name: 'order',
            in: 'query',
            required: false,
            description: '`newest` (default) or `oldest` first.',
            schema: {
              type: 'string',
              enum: ['newest', 'oldest'],
            },
          },
          {
            name: 'environment',
            in: 'query',
            required: false,
            description:
              'Only the events of this environment (any name the trail holds, also one no longer in the pipeline).',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
          {
            name: 'type',
            in: 'query',
            required: false,
            description:
              'Event types, repeatable; an event matches any of them. Each is an exact type (`deployment.failed`) or a group: the part before the dot, with the dot (`deployment.` for every `deployment.*` type of `EventType`); a group of no known type is a 400. E.g. `?type=approval.&type=deployment.failed`.',
            style: 'form',
            explode: true,
            schema: {
              type: 'array',
              minItems: 1,
              maxItems: 30,
              items: {
                $ref: '#/components/schemas/EventTypeFilter',
              },
            },
          },
          {
            name: 'actor',
            in: 'query',
            required: false,
            description:
              'Only the events of this actor, exactly as events name it (a user entity ref such as `user:default/alice`, or a service subject).',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 255,
            },
          },
          {
            name: 'deploymentId',
            in: 'query',
            required: false,
            description: 'Only the events of this deployment.',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
          {
            name: 'releaseId',
            in: 'query',
            required: false,
            description:
              'Only the events of this release (its registration, checks, deployments …).',
            schema: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
            },
          },
        ],
        responses: {
          '200': {
            description: 'A page of audit events.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/EventPage',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/events/verify': {
      get: {
        operationId: 'VerifyEntityEvents',
        tags: ['Audit'],
        description:
          'Recomputes the entity’s audit hash chain, oldest event first. An edited, deleted or re-ordered event answers `valid false` naming the first event that does not hold.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
        ],
        responses: {
          '200': {
            description: 'Whether the chain holds.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/ChainVerification',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
        },
      },
    },
    '/v1/entities/{kind}/{namespace}/{name}/metrics': {
      get: {
        operationId: 'GetDeliveryMetrics',
        tags: ['Audit'],
        description:
          'Delivery (DORA) metrics of one environment (default: the last of the pipeline) over the last `days` days (default 30, 1–365). An environment outside the entity’s pipeline is a 400.',
        parameters: [
          {
            $ref: '#/components/parameters/kind',
          },
          {
            $ref: '#/components/parameters/namespace',
          },
          {
            $ref: '#/components/parameters/name',
          },
          {
            $ref: '#/components/parameters/environmentQuery',
          },
          {
            $ref: '#/components/parameters/days',
          },
        ],
        responses: {
          '200': {
            description: 'The four DORA figures.',
            content: {
              'application/json': {
                schema: {
                  $ref: '#/components/schemas/DeliveryMetrics',
                },
              },
            },
          },
          '400': {
            $ref: '#/components/responses/BadRequest',
          },
          '401': {
            $ref: '#/components/responses/Unauthorized',
          },
          '403': {
            $ref: '#/components/responses/Forbidden',
          },
          '404': {
            $ref: '#/components/responses/NotFound',
          },
        },
      },
    },
  },
} as const;
