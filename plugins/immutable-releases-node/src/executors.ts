import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ObservedEntity } from './observations';
import {
  Artifact,
  DeploymentKind,
  ReleaseBuild,
  ReleaseSource,
} from 'backstage-plugin-immutable-releases-common';

/**
 * What an executor is told about the deployment it must carry out. This is
 * also the JSON the `command` executor writes to stdin and the `webhook`
 * executor posts.
 */
export interface DeploymentPayload {
  deploymentId: string;
  kind: DeploymentKind;
  entityRef: string;
  environment: string;
  /** `uri@digest`: the only reference an executor may deploy. */
  artifactRef: string;
  release: {
    id: string;
    version: string;
    artifact: Artifact;
    source: ReleaseSource;
    build: ReleaseBuild;
    labels: Record<string, string>;
  };
}

/**
 * The header in which a completion callback (`POST /v1/deployments/{id}/status`)
 * carries the deployment's `callbackToken`.
 */
export const CALLBACK_TOKEN_HEADER = 'x-immutable-releases-callback-token';

export interface DeploymentContext {
  payload: DeploymentPayload;
  /**
   * The catalog entity being deployed (its annotations name, for instance,
   * the Kubernetes workload); a minimal entity when the catalog lacks it.
   */
  entity: ObservedEntity;
  /** Aborted when the deployment must stop (timeout or shutdown). */
  signal: AbortSignal;
  /**
   * A secret for this deployment alone. An executor that answers `running`
   * hands it to the system that finishes the deployment; that system's
   * completion callback must send it back in the {@link CALLBACK_TOKEN_HEADER}
   * header, or it is refused (403): permission to promote is not enough to
   * report a deployment's outcome.
   */
  callbackToken: string;
  /**
   * Puts what the executor knows so far on the deployment while it runs (a
   * link to the run, the rollout status), for the people following it. A
   * field a report leaves out keeps its last value; the outcome's `url` and
   * `output` replace the reported ones, which stay where the outcome has
   * none. Never throws and never waits: reports are written in order in the
   * background.
   */
  reportProgress(progress: DeploymentProgress): void;
}

/** What an executor knows of a deployment before it ends. */
export interface DeploymentProgress {
  /** Where the deployment can be followed (http or https): a workflow run, an Argo CD Application. */
  url?: string;
  /** The status so far (e.g. replica counts); only its tail is kept, as for `output`. */
  output?: string;
}

/**
 * The outcome of `deploy`. `running` means the executor handed the work to an
 * asynchronous system that reports completion on
 * `POST /v1/deployments/{id}/status`.
 */
export interface DeploymentOutcome {
  status: 'succeeded' | 'failed' | 'running';
  url?: string;
  message?: string;
  /** The tail of what the executor printed, kept on the deployment. */
  output?: string;
}

/** Carries out deployments for one configured executor. */
export interface DeploymentExecutor {
  deploy(context: DeploymentContext): Promise<DeploymentOutcome>;
}

/** Builds an executor from its configuration block. */
export interface DeploymentExecutorFactory {
  /** The `type` this factory handles, e.g. `command`. */
  type: string;
  /**
   * Creates the executor named `name`. Throw with a message naming the
   * config key when the configuration is wrong: start-up stops on it.
   */
  create(options: { name: string; config: Config }): DeploymentExecutor;
}

export interface ImmutableReleasesExecutorsExtensionPoint {
  addExecutorType(factory: DeploymentExecutorFactory): void;
}

/**
 * Lets backend modules add executor types beside the built-in `command`
 * and `webhook` ones.
 */
export const immutableReleasesExecutorsExtensionPoint =
  createExtensionPoint<ImmutableReleasesExecutorsExtensionPoint>({
    id: 'immutable-releases.executors',
  });
