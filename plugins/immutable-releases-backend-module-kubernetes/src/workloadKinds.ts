import { InputError } from '@backstage/errors';

/** The workload kinds a release can be deployed to, with their apps/v1 resource. */
export const WORKLOAD_KINDS = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
} as const;

export type WorkloadKind = keyof typeof WORKLOAD_KINDS;

export const ALL_WORKLOAD_KINDS = Object.keys(WORKLOAD_KINDS) as WorkloadKind[];

/** A workload named by kind and name, e.g. `Deployment/checkout`. */
export interface WorkloadRef {
  kind: WorkloadKind;
  name: string;
}

export function describeWorkloadRef(ref: WorkloadRef): string {
  return `${ref.kind}/${ref.name}`;
}

/**
 * Parses `<kind>/<name>`; the kind is case-insensitive and may be plural or
 * short (`deployment`, `deployments`, `deploy`, `sts`, `ds`), as kubectl
 * accepts it.
 */
export function parseWorkloadRef(text: string): WorkloadRef {
  const match = /^([A-Za-z]+)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(
    text.trim(),
  );
  const kind = match ? kindOf(match[1].toLowerCase()) : undefined;
  if (!match || !kind) {
    throw new InputError(
      `'${text}' is not <kind>/<name> with a kind of ${ALL_WORKLOAD_KINDS.join(
        ', ',
      )}`,
    );
  }
  return { kind, name: match[2] };
}

function kindOf(lowerCased: string): WorkloadKind | undefined {
  const aliases: Record<string, WorkloadKind> = {
    deployment: 'Deployment',
    deployments: 'Deployment',
    deploy: 'Deployment',
    statefulset: 'StatefulSet',
    statefulsets: 'StatefulSet',
    sts: 'StatefulSet',
    daemonset: 'DaemonSet',
    daemonsets: 'DaemonSet',
    ds: 'DaemonSet',
  };
  return aliases[lowerCased];
}
