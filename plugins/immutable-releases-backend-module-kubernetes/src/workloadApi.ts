import { Workload } from './kubernetesTypes';
import { KubernetesClient } from './KubernetesClient';
import {
  ALL_WORKLOAD_KINDS,
  WORKLOAD_KINDS,
  WorkloadKind,
  WorkloadRef,
} from './workloadKinds';

/** A workload with the kind it was read as (lists do not name the kind of their items). */
export interface KindedWorkload {
  kind: WorkloadKind;
  workload: Workload;
}

export function workloadPath(
  namespace: string,
  kind: WorkloadKind,
  name?: string,
): string {
  const collection = `/apis/apps/v1/namespaces/${encodeURIComponent(
    namespace,
  )}/${WORKLOAD_KINDS[kind]}`;
  return name === undefined
    ? collection
    : `${collection}/${encodeURIComponent(name)}`;
}

/** Deployments, StatefulSets and DaemonSets of the namespace that match the label selector. */
export async function listWorkloads(
  client: KubernetesClient,
  namespace: string,
  labelSelector: string,
  signal: AbortSignal,
): Promise<KindedWorkload[]> {
  const lists = await Promise.all(
    ALL_WORKLOAD_KINDS.map(async kind =>
      (
        await client.list<Workload>(workloadPath(namespace, kind), {
          query: { labelSelector },
          signal,
        })
      ).map(workload => ({ kind, workload })),
    ),
  );
  return lists.flat();
}

export async function getWorkload(
  client: KubernetesClient,
  namespace: string,
  ref: WorkloadRef,
  signal: AbortSignal,
): Promise<KindedWorkload> {
  return {
    kind: ref.kind,
    workload: await client.get<Workload>(
      workloadPath(namespace, ref.kind, ref.name),
      { signal },
    ),
  };
}

export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
