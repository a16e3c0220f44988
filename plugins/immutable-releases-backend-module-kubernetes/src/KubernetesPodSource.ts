import {
  ObservationSource,
  ObservationTarget,
  PolledObservationContext,
} from 'backstage-plugin-immutable-releases-node';
import { KubernetesDriftSettings } from './driftSettings';
import {
  annotatedWorkloadOf,
  KUBERNETES_ID,
  kubernetesIdOf,
  namespaceOf,
} from './entityWorkloads';
import { Pod } from './kubernetesTypes';
import { KubernetesClient } from './KubernetesClient';
import { labelSelectorQuery } from './labelSelector';
import { runningDigests } from './podDigests';
import { getWorkload } from './workloadApi';
import { describeWorkloadRef, WorkloadRef } from './workloadKinds';

/** How long one run may take in all, whatever the number of targets. */
const RUN_TIMEOUT = { minutes: 5 };

interface ResolvedTarget {
  target: ObservationTarget;
  kubernetesId: string;
}

/**
 * Observes which digest runs in an environment from the pods of a cluster:
 * one pod list per namespace and run, mapped to entities by their
 * `backstage.io/kubernetes-id` label; an entity that names its workload by
 * annotation gets that workload's pods (its selector), at two requests each.
 * Mid-rollout, the digest most pods run is reported and the split is logged.
 */
export class KubernetesPodSource {
  static create(settings: KubernetesDriftSettings): ObservationSource {
    const source = new KubernetesPodSource(
      settings,
      new KubernetesClient(settings.cluster),
    );
    return {
      id: settings.id,
      poll: {
        schedule: {
          frequency: { milliseconds: settings.frequencyMs },
          timeout: RUN_TIMEOUT,
        },
        environments: [settings.environment],
        ...(settings.pipeline ? { pipeline: settings.pipeline } : {}),
        observe: context => source.observe(context),
      },
    };
  }

  private constructor(
    private readonly settings: KubernetesDriftSettings,
    private readonly client: KubernetesClient,
  ) {}

  async observe(context: PolledObservationContext): Promise<void> {
    const byNamespace = new Map<string, ResolvedTarget[]>();
    const byWorkload: Array<{
      target: ObservationTarget;
      namespace: string;
      workload: WorkloadRef;
    }> = [];
    for (const target of context.targets) {
      try {
        const namespace = namespaceOf(target.entity, this.settings.namespace);
        const workload = annotatedWorkloadOf(target.entity);
        if (workload) {
          byWorkload.push({ target, namespace, workload });
          continue;
        }
        const resolved = {
          target,
          kubernetesId: kubernetesIdOf(target.entity),
        };
        byNamespace.set(namespace, [
          ...(byNamespace.get(namespace) ?? []),
          resolved,
        ]);
      } catch (error) {
        await this.fail(target, (error as Error).message, context);
      }
    }
    for (const [namespace, targets] of byNamespace) {
      if (context.signal.aborted) {
        return;
      }
      await this.observeNamespace(namespace, targets, context);
    }
    for (const { target, namespace, workload } of byWorkload) {
      if (context.signal.aborted) {
        return;
      }
      await this.observeWorkload(target, namespace, workload, context);
    }
  }

  private async observeWorkload(
    target: ObservationTarget,
    namespace: string,
    ref: WorkloadRef,
    context: PolledObservationContext,
  ): Promise<void> {
    const where = `of ${describeWorkloadRef(
      ref,
    )} in namespace ${namespace} of cluster ${this.settings.cluster.name}`;
    let pods: Pod[];
    try {
      const { workload } = await getWorkload(
        this.client,
        namespace,
        ref,
        context.signal,
      );
      const labelSelector = labelSelectorQuery(workload.spec.selector);
      if (!labelSelector) {
        await this.fail(target, `no pod selector ${where}`, context);
        return;
      }
      pods = await this.client.list<Pod>(podsPath(namespace), {
        query: { labelSelector },
        signal: context.signal,
      });
    } catch (error) {
      await this.fail(target, (error as Error).message, context);
      return;
    }
    await this.observeTarget(target, pods, where, context);
  }

  private async observeNamespace(
    namespace: string,
    targets: ResolvedTarget[],
    context: PolledObservationContext,
  ): Promise<void> {
    const ids = [...new Set(targets.map(t => t.kubernetesId))].sort();
    let pods: Pod[];
    try {
      pods = await this.client.list<Pod>(podsPath(namespace), {
        query: { labelSelector: `${KUBERNETES_ID} in (${ids.join(',')})` },
        signal: context.signal,
      });
    } catch (error) {
      for (const { target } of targets) {
        await this.fail(target, (error as Error).message, context);
      }
      return;
    }
    const podsById = new Map<string, Pod[]>();
    for (const pod of pods) {
      const id = pod.metadata.labels?.[KUBERNETES_ID];
      if (id !== undefined) {
        podsById.set(id, [...(podsById.get(id) ?? []), pod]);
      }
    }
    for (const { target, kubernetesId } of targets) {
      await this.observeTarget(
        target,
        podsById.get(kubernetesId) ?? [],
        `labelled ${KUBERNETES_ID}=${kubernetesId} in namespace ${namespace} of cluster ${this.settings.cluster.name}`,
        context,
      );
    }
  }

  private async observeTarget(
    target: ObservationTarget,
    pods: Pod[],
    where: string,
    context: PolledObservationContext,
  ): Promise<void> {
    if (target.artifactUris.length === 0) {
      await this.fail(
        target,
        'the entity has no release yet, so no image repository to look for',
        context,
      );
      return;
    }
    if (pods.length === 0) {
      await this.fail(target, `no pods ${where}`, context);
      return;
    }
    const { digests, images } = runningDigests(pods, target.artifactUris);
    if (digests.length === 0) {
      await this.fail(
        target,
        `no running container of ${target.artifactUris.join(
          ' or ',
        )} in the pods ${where} (images: ${images.join(', ')})`,
        context,
      );
      return;
    }
    const [observed, ...others] = digests;
    if (others.length > 0) {
      context.logger.info(
        `${target.entityRef} in ${
          target.environment
        } runs several digests (pods ${where}): ${digests
          .map(d => `${d.digest} on ${d.pods} pod(s)`)
          .join(', ')}; reporting ${observed.digest}`,
      );
    }
    try {
      await context.sink.report([
        {
          entityRef: target.entityRef,
          environment: target.environment,
          digest: observed.digest,
        },
      ]);
    } catch (error) {
      await this.fail(
        target,
        `observed ${observed.digest} but could not record it: ${
          (error as Error).message
        }`,
        context,
      );
    }
  }

  private async fail(
    target: ObservationTarget,
    message: string,
    { sink }: PolledObservationContext,
  ): Promise<void> {
    await sink.reportError({
      entityRef: target.entityRef,
      environment: target.environment,
      message,
    });
  }
}

function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}
