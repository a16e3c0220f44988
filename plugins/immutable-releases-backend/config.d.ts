import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Immutable Releases backend plugin. */
  immutableReleases?: {
    /**
     * Whether a release may only be registered for an entity that exists in
     * the catalog (404 otherwise). Defaults to true.
     */
    requireCatalogEntity?: boolean;

    /** How the plugin uses its database. */
    database?: {
      /**
       * Whether the most frequent reads are prepared once per connection on
       * PostgreSQL (default true). Turn it off behind a connection pooler
       * that cannot keep prepared statements, such as PgBouncer before 1.21
       * in transaction mode.
       */
      preparedStatements?: boolean;
    };

    /**
     * Executors carry out deployments, by name. `command` and `webhook` are
     * built in; backend modules can add types through the executors extension point.
     */
    executors?: {
      [name: string]: {
        /** The executor type: `command`, `webhook` or one added by a module. */
        type: string;
        /**
         * For `command`: the argv to run, without a shell. The deployment is
         * written to stdin as JSON and described in IMMUTABLE_RELEASES_* variables.
         */
        command?: string[];
        /** For `command`: the working directory, relative to the repository root. */
        cwd?: string;
        /**
         * For `command`: how long the command may run before it is killed and
         * the deployment fails (default 10 minutes). For `webhook`: the timeout
         * of one request (default 30 seconds).
         */
        timeout?: HumanDuration | string;
        /** For `webhook`: the URL the deployment is POSTed to. */
        url?: string;
        /**
         * For `webhook`: the key of the HMAC-SHA256 signature sent in the
         * `x-immutable-releases-signature` header.
         * @visibility secret
         */
        secret?: string;
        /**
         * For `webhook`: whether completion arrives later on
         * `POST /v1/deployments/{id}/status` instead of in the response.
         */
        async?: boolean;
        /**
         * How long an executor that answers `running` (e.g. an `async`
         * webhook) may take to report completion before the deployment is
         * failed (default 1 hour).
         */
        callbackTimeout?: HumanDuration | string;
        /** For `webhook`: attempts after a network error or 5xx answer (default 3). */
        retries?: number;
      };
    };

    /** Pipelines by name; an entity picks one with the `immutable-releases/pipeline` annotation (default `default`). */
    pipelines?: {
      [name: string]: {
        /**
         * `newest-wins` (default): a new pending deployment supersedes older
         * pending ones. `fifo`: pending deployments run in request order.
         */
        queue?: 'newest-wins' | 'fifo';
        /** The environments, in promotion order. */
        environments: Array<{
          /** The environment's name, e.g. `staging`. */
          name: string;
          /** The environment a release must have succeeded in before it is promoted here. */
          from?: string;
          /** The name of the executor (under `immutableReleases.executors`) that deploys here. */
          executor: string;
          /**
           * Promote automatically: without `from`, every new release; with
           * `from`, every release that succeeds there (when the gates pass).
           */
          autoPromote?: boolean;
          /** How long a release must have been current in `from` before it is promoted here. */
          soakTime?: HumanDuration | string;
          /** Checks whose latest status must be `passed` on the release. */
          requiredChecks?: string[];
          /** Approvals a promotion here needs before it starts. */
          approvals?: {
            /** How many distinct approvers must approve. */
            required: number;
            /** Whether the requester and the release creator may approve (default false). */
            allowSelfApproval?: boolean;
            /**
             * Who is notified that a deployment waits for approval, as user or
             * group entity refs (e.g. `group:default/release-managers`);
             * default: the entity's owner. Needs the notifications backend.
             */
            notify?: string[];
          };
          /** Windows during which promotions here are refused unless overridden. */
          freezeWindows?: Array<{
            /** When a window starts, as a cron expression. */
            cron: string;
            /** How long a window lasts. */
            duration: HumanDuration | string;
            /** Shown to whoever is refused. */
            reason?: string;
            /** The time zone of the cron expression (default UTC). */
            timeZone?: string;
          }>;
          /** A check after the executor succeeded; the deployment is `verifying` meanwhile. */
          verification?: {
            /** An HTTP probe of the deployed release; it passes when the answer matches. */
            http: {
              /**
               * The URL to probe. It may name the entity and environment:
               * `{{ environment }}`, `{{ entity.kind }}`, `{{ entity.metadata.name }}`,
               * `{{ entity.metadata.namespace }}`,
               * `{{ entity.metadata.annotations['some/annotation'] }}`,
               * `{{ entity.metadata.labels['some-label'] }}`.
               */
              url: string;
              /** The status code that means healthy (default 200). */
              expectStatus?: number;
              /** Text the response body must contain. */
              bodyContains?: string;
            };
            /** How long verification may retry before the deployment fails (default 2 minutes). */
            timeout?: HumanDuration | string;
            /** The pause between probes (default 5 seconds). */
            interval?: HumanDuration | string;
          };
          /** Roll back to the previous release, and hold the environment, when verification fails. */
          autoRollback?: boolean;
          /**
           * Gate `signature`: a promotion here needs an attestation of the
           * release (a Sigstore bundle, see POST /v1/releases/{id}/attestations)
           * whose signature verifies, offline, against one of these keys and
           * whose in-toto subjects include the release digest.
           */
          signature?: {
            /** The public keys attestations may be signed with; any one suffices. At least one. */
            keys: Array<{
              /** Names the key in gate messages, e.g. `ci`. Unique within the environment. */
              name: string;
              /**
               * A PEM public key (`-----BEGIN PUBLIC KEY-----`), e.g. the
               * `cosign.pub` of `cosign generate-key-pair`. An unreadable key
               * stops start-up.
               */
              publicKey: string;
            }>;
            /**
             * Must be false (the default): key-signed bundles are accepted
             * without a transparency log entry, and log entries are not
             * checked offline. `true` is not supported yet and stops start-up.
             */
            requireTransparencyLog?: boolean;
          };
          /**
           * Gate `provenance`: a promotion here needs an SLSA provenance
           * attestation (`https://slsa.dev/provenance/v1`, or v0.2) verified
           * with a `signature` key, which therefore must be configured too.
           */
          provenance?: {
            /** Builder ids accepted, e.g. `https://github.com/acme/.github/.github/workflows/build.yml@refs/heads/main`. At least one. */
            builderIds: string[];
            /**
             * Whether the provenance's resolved source repository and commit
             * must equal the release's `source.repository` and
             * `source.commit` (default true).
             */
            sourceMustMatch?: boolean;
          };
        }>;
      };
    };

    /**
     * Drift detection: what actually runs in each environment, compared with
     * its current release. Observations arrive on `POST /v1/observations`,
     * from the probes below, or from observation sources added by modules.
     */
    drift?: {
      /**
       * An environment whose latest observation is older than this is
       * `unknown` (default 15 minutes).
       */
      staleAfter?: HumanDuration | string;
      /** How many probe requests run at once, per probe (default 5). */
      concurrency?: number;
      /**
       * HTTP pull probes. Each runs on its `frequency` as a global scheduled
       * task (one backend replica at a time), for every catalog entity whose
       * pipeline has the probe's environment.
       */
      probes?: Array<{
        /** The environment the probe observes. */
        environment: string;
        /** Only entities using this pipeline (default: every pipeline with the environment). */
        pipeline?: string;
        /**
         * The URL to GET, a template: `{{ entity.metadata.name }}`,
         * `{{ entity.metadata.namespace }}`, `{{ entity.kind }}`,
         * `{{ entity.metadata.annotations['some/annotation'] }}`,
         * `{{ entity.metadata.labels['some-label'] }}` and `{{ environment }}`
         * are replaced by URL-encoded values.
         */
        url: string;
        /** Where the digest is in the JSON answer, e.g. `$.digest` or `$.status.images[0].digest`. Exclusive with `digestHeader`. */
        digestPath?: string;
        /** The response header that carries the digest. Exclusive with `digestPath`. */
        digestHeader?: string;
        /** How often the probe runs (default 1 minute). */
        frequency?: HumanDuration | string;
        /** How long one request may take before it counts as a failure (default 10 seconds). */
        timeout?: HumanDuration | string;
      }>;
    };
  };
}
