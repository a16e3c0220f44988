import { InputError } from '@backstage/errors';
import { ObservedEntity } from 'backstage-plugin-immutable-releases-node';
import { parseWorkloadRef, WorkloadRef } from './workloadKinds';

/** The label (and annotation) Backstage's Kubernetes plugin finds an entity's objects by. */
export const KUBERNETES_ID = 'backstage.io/kubernetes-id';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
/** Names the one workload to deploy to, as `<kind>/<name>`. */
export const WORKLOAD_ANNOTATION = 'immutable-releases/kubernetes-workload';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Whether `name` can name a namespace (an RFC 1123 label). */
export function isNamespaceName(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

/** The entity's `backstage.io/kubernetes-id`, else its name. */
export function kubernetesIdOf(entity: ObservedEntity): string {
  const id =
    entity.metadata.annotations?.[KUBERNETES_ID] ?? entity.metadata.name;
  if (id.length > 63 || !LABEL_VALUE.test(id)) {
    throw new InputError(
      `${KUBERNETES_ID} '${id}' of ${entity.metadata.name} is not a valid label value`,
    );
  }
  return id;
}

/**
 * The namespace to look in: the configured one, else the entity's
 * `backstage.io/kubernetes-namespace` annotation, else `default`.
 */
export function namespaceOf(
  entity: ObservedEntity,
  configured: string | undefined,
): string {
  if (configured) {
    return configured;
  }
  const annotated =
    entity.metadata.annotations?.[KUBERNETES_NAMESPACE_ANNOTATION];
  if (annotated === undefined) {
    return 'default';
  }
  if (!isNamespaceName(annotated)) {
    throw new InputError(
      `${KUBERNETES_NAMESPACE_ANNOTATION} '${annotated}' of ${entity.metadata.name} is not a namespace name`,
    );
  }
  return annotated;
}

/** The workload named by the entity's annotation, if it has one. */
export function annotatedWorkloadOf(
  entity: ObservedEntity,
): WorkloadRef | undefined {
  const annotated = entity.metadata.annotations?.[WORKLOAD_ANNOTATION];
  if (annotated === undefined) {
    return undefined;
  }
  try {
    return parseWorkloadRef(annotated);
  } catch (error) {
    throw new InputError(
      `annotation ${WORKLOAD_ANNOTATION} of ${entity.metadata.name}: ${
        (error as Error).message
      }`,
      error,
    );
  }
}
