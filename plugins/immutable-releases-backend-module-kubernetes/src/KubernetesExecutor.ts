import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeploymentContext,
  DeploymentExecutor,
  DeploymentOutcome,
  TargetRequestError,
} from 'backstage-plugin-immutable-releases-node';
import {
  hasMatches,
  imagePatch,
  imagesOf,
  matchingContainers,
  MatchingContainers,
} from './containerImages';
import { describeDuration } from 'backstage-plugin-immutable-releases-node';
import {
  annotatedWorkloadOf,
  KUBERNETES_ID,
  kubernetesIdOf,
  namespaceOf,
} from './entityWorkloads';
import { KubernetesExecutorSettings } from './executorSettings';
import { Workload } from './kubernetesTypes';
import { KubernetesClient } from './KubernetesClient';
import { rolloutProgress, RolloutProgress } from './rollout';
import {
  getWorkload,
  KindedWorkload,
  listWorkloads,
  STRATEGIC_MERGE_PATCH,
  workloadPath,
} from './workloadApi';
import { describeWorkloadRef, WorkloadKind } from './workloadKinds';

const ABORTED_MESSAGE = 'deployment aborted';
/** Answers that no retry will change while waiting for a rollout. */
const PERMANENT_STATUSES = [401, 403, 404];

/** A workload that was patched and whose rollout is awaited. */
interface PatchedWorkload {
  kind: WorkloadKind;
  name: string;
  matches: MatchingContainers;
  progress?: RolloutProgress;
  /** The last failure to read it, kept for the timeout message. */
  lastError?: string;
}

/** Raised inside `deploy` for an outcome that ends it early. */
class DeploymentFailure extends Error {}

/**
 * Deploys a release to Kubernetes: sets the image of every container that
 * runs the release's repository to `uri@digest` in the entity's workloads,
 * then waits until the rollout completes, fails or times out.
 */
export class KubernetesExecutor implements DeploymentExecutor {
  private readonly client: KubernetesClient;

  constructor(private readonly settings: KubernetesExecutorSettings) {
    this.client = new KubernetesClient(settings.cluster);
  }

  async deploy(context: DeploymentContext): Promise<DeploymentOutcome> {
    const { payload, entity } = context;
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const signal = AbortSignal.any([context.signal, timeout]);
    const patched: PatchedWorkload[] = [];
    try {
      const namespace = namespaceOf(entity, this.settings.namespace);
      const workloads = await this.findWorkloads(context, namespace, signal);
      const uri = payload.release.artifact.uri;
      const targets = workloads
        .map(({ kind, workload }) => ({
          kind,
          workload,
          matches: matchingContainers(workload.spec.template.spec, uri),
        }))
        .filter(({ matches }) => hasMatches(matches));
      if (targets.length === 0) {
        throw new DeploymentFailure(
          `no container runs ${uri} in ${workloads
            .map(
              ({ kind, workload }) =>
                `${kind}/${workload.metadata.name} (images: ${
                  imagesOf(workload.spec.template.spec).join(', ') || 'none'
                })`,
            )
            .join(', ')}`,
        );
      }
      for (const { kind, workload, matches } of targets) {
        await this.client.patch(
          workloadPath(namespace, kind, workload.metadata.name),
          {
            body: imagePatch(matches, payload.artifactRef),
            contentType: STRATEGIC_MERGE_PATCH,
            signal,
          },
        );
        patched.push({ kind, name: workload.metadata.name, matches });
      }
      const reportRollouts = () =>
        context.reportProgress({
          output: describeWorkloads(patched, payload.artifactRef),
        });
      reportRollouts();
      await this.waitForRollouts(namespace, patched, {
        signal,
        afterEachRead: reportRollouts,
      });
      return {
        status: 'succeeded',
        message: `rolled out ${payload.artifactRef} to ${patched
          .map(w => `${w.kind}/${w.name}`)
          .join(', ')} in namespace ${namespace} of cluster ${
          this.settings.cluster.name
        }`,
        output: describeWorkloads(patched, payload.artifactRef),
      };
    } catch (error) {
      return {
        status: 'failed',
        message: this.describeFailure(error, {
          timeout,
          deploymentSignal: context.signal,
          patched,
        }),
        ...(patched.length > 0
          ? { output: describeWorkloads(patched, payload.artifactRef) }
          : {}),
      };
    }
  }

  private async findWorkloads(
    { entity }: DeploymentContext,
    namespace: string,
    signal: AbortSignal,
  ): Promise<KindedWorkload[]> {
    const annotated = annotatedWorkloadOf(entity);
    if (annotated) {
      try {
        return [await getWorkload(this.client, namespace, annotated, signal)];
      } catch (error) {
        if (error instanceof TargetRequestError && error.status === 404) {
          throw new DeploymentFailure(
            `${describeWorkloadRef(
              annotated,
            )} does not exist in namespace ${namespace} of cluster ${
              this.settings.cluster.name
            }`,
          );
        }
        throw error;
      }
    }
    const selector = `${KUBERNETES_ID}=${kubernetesIdOf(entity)}`;
    const found = await listWorkloads(this.client, namespace, selector, signal);
    if (found.length === 0) {
      throw new DeploymentFailure(
        `no Deployment, StatefulSet or DaemonSet labelled ${selector} in namespace ${namespace} of cluster ${this.settings.cluster.name}`,
      );
    }
    return found;
  }

  /** Reads each workload every poll interval until all are rolled out; throws otherwise. */
  private async waitForRollouts(
    namespace: string,
    patched: PatchedWorkload[],
    {
      signal,
      afterEachRead,
    }: { signal: AbortSignal; afterEachRead: () => void },
  ): Promise<void> {
    for (;;) {
      for (const workload of patched) {
        if (workload.progress?.state === 'complete') {
          continue;
        }
        let current: Workload;
        try {
          current = await this.client.get<Workload>(
            workloadPath(namespace, workload.kind, workload.name),
            { signal },
          );
        } catch (error) {
          if (
            signal.aborted ||
            !(error instanceof TargetRequestError) ||
            PERMANENT_STATUSES.includes(error.status ?? 0)
          ) {
            throw error;
          }
          // A passing network or API server hiccup: the next poll may succeed.
          workload.lastError = error.message;
          continue;
        }
        workload.lastError = undefined;
        workload.progress = rolloutProgress(workload.kind, current);
        if (workload.progress.state === 'failed') {
          throw new DeploymentFailure(
            `rollout of ${workload.kind}/${workload.name} failed: ${workload.progress.reason} (${workload.progress.replicas})`,
          );
        }
      }
      afterEachRead();
      if (patched.every(w => w.progress?.state === 'complete')) {
        return;
      }
      await sleep(this.settings.pollIntervalMs, undefined, { signal });
    }
  }

  private describeFailure(
    error: unknown,
    {
      timeout,
      deploymentSignal,
      patched,
    }: {
      timeout: AbortSignal;
      deploymentSignal: AbortSignal;
      patched: PatchedWorkload[];
    },
  ): string {
    if (deploymentSignal.aborted) {
      return ABORTED_MESSAGE;
    }
    if (timeout.aborted) {
      const pending = patched
        .filter(w => w.progress?.state !== 'complete')
        .map(
          w =>
            `${w.kind}/${w.name}: ${
              w.progress
                ? `${w.progress.reason} (${w.progress.replicas})`
                : 'status not read yet'
            }${w.lastError ? ` (last read failed: ${w.lastError})` : ''}`,
        );
      return `rollout did not complete within ${describeDuration(
        this.settings.timeoutMs,
      )}${pending.length > 0 ? `: ${pending.join('; ')}` : ''}`;
    }
    return (error as Error)?.message ?? String(error);
  }
}

/** The output kept on the deployment: each workload, what was patched, its replicas. */
function describeWorkloads(
  patched: PatchedWorkload[],
  artifactRef: string,
): string {
  return patched
    .map(w => {
      const containers = [
        ...w.matches.initContainers.map(name => `${name} (init)`),
        ...w.matches.containers,
      ].join(', ');
      const replicas = w.progress ? `: ${w.progress.replicas}` : '';
      return `${w.kind}/${w.name} [${containers}] → ${artifactRef}${replicas}`;
    })
    .join('\n');
}
