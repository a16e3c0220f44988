import {
  ObservationReport,
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
/** The most entity ids a pod list names in its label selector. */
const MAX_SELECTOR_IDS = 50;
/** Observations per call to the sink (one transaction each). */
const REPORT_BATCH = 500;
/** The most other digests an observation's details may list. */
const MAX_OTHER_DIGESTS = 20;

interface TargetReport {
  target: ObservationTarget;
  report: ObservationReport;
}

interface ResolvedTarget {
  target: ObservationTarget;
  kubernetesId: string;
}

/**
 * Observes which digest runs in an environment from the pods of a cluster:
 * one pod list per namespace and run (of the pods labelled with the
 * entities' ids, or of every labelled pod when there are many entities),
 * mapped to entities by their `backstage.io/kubernetes-id` label; an entity that names its workload by
 * annotation gets that workload's pods (its selector), at two requests each.
 * Mid-rollout, the digest most pods run is reported, with the others (and
 * the pods running each) in the observation's details.
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
    await this.report([{ target, pods, where }], context);
  }

  private async observeNamespace(
    namespace: string,
    targets: ResolvedTarget[],
    context: PolledObservationContext,
  ): Promise<void> {
    const ids = [...new Set(targets.map(t => t.kubernetesId))].sort();
    // Past a few ids the selector asks for every labelled pod instead: the
    // request line stays short, and the pods are sorted out here anyway.
    const labelSelector =
      ids.length <= MAX_SELECTOR_IDS
        ? `${KUBERNETES_ID} in (${ids.join(',')})`
        : KUBERNETES_ID;
    let pods: Pod[];
    try {
      pods = await this.client.list<Pod>(podsPath(namespace), {
        query: { labelSelector },
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
        let podsOfId = podsById.get(id);
        if (!podsOfId) {
          podsOfId = [];
          podsById.set(id, podsOfId);
        }
        podsOfId.push(pod);
      }
    }
    await this.report(
      targets.map(({ target, kubernetesId }) => ({
        target,
        pods: podsById.get(kubernetesId) ?? [],
        where: `labelled ${KUBERNETES_ID}=${kubernetesId} in namespace ${namespace} of cluster ${this.settings.cluster.name}`,
      })),
      context,
    );
  }

  /** Reports what the pods of each target run; says why for each target they tell nothing of. */
  private async report(
    observed: Array<{ target: ObservationTarget; pods: Pod[]; where: string }>,
    context: PolledObservationContext,
  ): Promise<void> {
    const reports: TargetReport[] = [];
    for (const { target, pods, where } of observed) {
      const observation = observationOf(target, pods, where);
      if (typeof observation === 'string') {
        await this.fail(target, observation, context);
      } else {
        reports.push({ target, report: observation });
      }
    }
    for (let i = 0; i < reports.length; i += REPORT_BATCH) {
      await this.send(reports.slice(i, i + REPORT_BATCH), context);
    }
  }

  /**
   * Sends a batch of reports in one call. The sink refuses a whole batch for
   * one bad item (an entity removed from the catalog meanwhile), so a refused
   * batch is sent again one report at a time, and only the culprit fails.
   */
  private async send(
    batch: TargetReport[],
    context: PolledObservationContext,
  ): Promise<void> {
    try {
      await context.sink.report(batch.map(b => b.report));
    } catch (error) {
      if (batch.length > 1) {
        for (const single of batch) {
          await this.send([single], context);
        }
        return;
      }
      await this.fail(
        batch[0].target,
        `observed ${batch[0].report.digest} but could not record it: ${
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

/**
 * What the pods of a target run of its releases' repositories: the digest
 * most pods run, with the others in its details; or why it cannot tell.
 */
function observationOf(
  target: ObservationTarget,
  pods: Pod[],
  where: string,
): ObservationReport | string {
  if (target.artifactUris.length === 0) {
    return 'the entity has no release yet, so no image repository to look for';
  }
  if (pods.length === 0) {
    return `no pods ${where}`;
  }
  const { digests, images } = runningDigests(pods, target.artifactUris);
  if (digests.length === 0) {
    return `no running container of ${target.artifactUris.join(
      ' or ',
    )} in the pods ${where} (images: ${images.join(', ')})`;
  }
  const [observed, ...others] = digests;
  return {
    entityRef: target.entityRef,
    environment: target.environment,
    digest: observed.digest,
    details: {
      instances: observed.pods,
      ...(others.length > 0
        ? {
            otherDigests: others
              .slice(0, MAX_OTHER_DIGESTS)
              .map(({ digest, pods: instances }) => ({ digest, instances })),
          }
        : {}),
    },
  };
}

function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
}
