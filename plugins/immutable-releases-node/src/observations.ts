import { ObservationDetails } from 'backstage-plugin-immutable-releases-common';
import {
  createExtensionPoint,
  LoggerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/**
 * The catalog entity of a target: an `Entity` of `@backstage/catalog-model`
 * (declared structurally here so this package needs no catalog dependency).
 */
export interface ObservedEntity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One report of the digest that runs in an environment of an entity. */
export interface ObservationReport {
  /** A catalog entity ref, e.g. `component:default/checkout`. */
  entityRef: string;
  /** An environment of the entity's pipeline. */
  environment: string;
  /** `sha256:<64 hex>` or `sha512:<128 hex>`, lower-case. */
  digest: string;
  /** When it was seen running (ISO 8601); defaults to the time of the report. */
  observedAt?: string;
  /**
   * How many instances run `digest` and which other digests run beside it:
   * mid-rollout, report the digest most instances run, and the others here.
   */
  details?: ObservationDetails;
}

/** A failure to tell what runs in an environment. */
export interface ObservationFailure {
  entityRef: string;
  environment: string;
  /** Shown in the environment's drift status, e.g. `GET … answered 503`. */
  message: string;
}

/**
 * Where an observation source delivers what it saw. Observations are stored
 * (with the source's id as their `source`), and drift status changes are
 * recorded in the audit trail. `report` refuses, with an `InputError`, a
 * batch with an unknown entity, an environment outside the entity's pipeline
 * or a malformed digest, and then stores none of it.
 */
export interface ObservationSink {
  report(observations: ObservationReport[]): Promise<void>;
  /** Keeps the failure as the environment's last observation error. */
  reportError(failure: ObservationFailure): Promise<void>;
}

/** An environment of a catalog entity that a polled source should look at. */
export interface ObservationTarget {
  entity: ObservedEntity;
  /** The entity's full, lower-cased ref. */
  entityRef: string;
  /** The pipeline the entity uses. */
  pipeline: string;
  environment: string;
  /**
   * The distinct `artifact.uri`s of the entity's releases, newest release
   * first; empty when it has none. A source that sees images (a cluster, a
   * registry) looks for these repositories among them.
   */
  artifactUris: string[];
}

export interface PolledObservationContext {
  /** Every entity environment matching the source's `environments` and `pipeline`. */
  targets: ObservationTarget[];
  sink: ObservationSink;
  /** Aborted when the run times out or the backend stops. */
  signal: AbortSignal;
  logger: LoggerService;
}

export interface PushedObservationContext {
  sink: ObservationSink;
  logger: LoggerService;
}

/**
 * A source of observations: something that can tell which digest runs where
 * (a Kubernetes cluster, Argo CD, an HTTP endpoint of the service itself).
 *
 * A source is polled, pushes, or both:
 * - `poll`: the plugin runs `observe` on `schedule` as a global task (one
 *   replica at a time) with the entity environments to look at;
 * - `start`: called once when the plugin starts; the source keeps the sink
 *   and reports whenever it learns something (a watch, a webhook, a queue);
 *   `stop` is called when the backend shuts down.
 *
 * The built-in source is the HTTP probe configured under
 * `immutableReleases.drift.probes`.
 */
export interface ObservationSource {
  /** Unique among sources; recorded as the `source` of its observations. */
  id: string;
  poll?: {
    schedule: SchedulerServiceTaskScheduleDefinition;
    /** Only environments with these names (default: every environment of every pipeline). */
    environments?: string[];
    /** Only entities using this pipeline (default: every pipeline). */
    pipeline?: string;
    observe(context: PolledObservationContext): Promise<void>;
  };
  start?(context: PushedObservationContext): Promise<void>;
  /** Called when the backend shuts down: end watches and consumers `start` opened. */
  stop?(): Promise<void>;
}

export interface ImmutableReleasesObservationsExtensionPoint {
  addObservationSource(source: ObservationSource): void;
}

/**
 * Lets backend modules add observation sources, e.g. a Kubernetes or Argo CD
 * module that reports the digests it sees running.
 */
export const immutableReleasesObservationsExtensionPoint =
  createExtensionPoint<ImmutableReleasesObservationsExtensionPoint>({
    id: 'immutable-releases.observations',
  });
