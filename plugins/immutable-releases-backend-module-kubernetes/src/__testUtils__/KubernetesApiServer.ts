import path from 'node:path';
import {
  JsonApiAnswer,
  JsonApiServer,
  RecordedRequest,
  selfSignedTls,
} from '@internal/test-utils';
import { Container, Pod, Workload } from '../kubernetesTypes';
import { WORKLOAD_KINDS, WorkloadKind } from '../workloadKinds';

/**
 * How a workload's rollout behaves after a patch, one step per GET:
 * `completes` reaches every replica updated and available after a few reads,
 * `stalls` stays at one updated replica that never becomes available,
 * `deadline` reports ProgressDeadlineExceeded on the second read.
 */
export type RolloutBehaviour = 'completes' | 'stalls' | 'deadline';

interface StoredWorkload {
  kind: WorkloadKind;
  workload: Workload;
  rollout: RolloutBehaviour;
  /** Replicas, or the nodes a DaemonSet runs on. */
  desired: number;
  readsSincePatch: number;
}

const TLS = selfSignedTls(path.join(__dirname, 'tls'));

/** The base64 PEM a cluster's `caData` holds to trust the HTTPS server. */
export const TEST_CA_DATA = TLS.caData;

const RESOURCES = Object.fromEntries(
  Object.entries(WORKLOAD_KINDS).map(([kind, resource]) => [resource, kind]),
) as Record<string, WorkloadKind>;

/**
 * A Kubernetes API server on 127.0.0.1 speaking the subset this module uses:
 * apps/v1 Deployments, StatefulSets and DaemonSets (list with labelSelector,
 * get, strategic merge patch) and core/v1 pod lists, behind a bearer token.
 */
export class KubernetesApiServer extends JsonApiServer {
  private readonly workloads = new Map<string, StoredWorkload>();
  private readonly pods = new Map<string, Pod[]>();
  /** Answer 403 to every request with the right token (RBAC missing). */
  forbidden = false;
  /** Answer 503 to this many of the next GETs of a single workload. */
  unavailableReads = 0;

  /**
   * Starts it on a free port; with `tls`, over HTTPS with the self-signed
   * certificate of `tls/` (see {@link TEST_CA_DATA}).
   */
  static start(
    token: string,
    options: { tls?: boolean } = {},
  ): Promise<KubernetesApiServer> {
    return new KubernetesApiServer(token, options.tls ?? false).listen();
  }

  private constructor(token: string, tls: boolean) {
    super({ token, tls: tls ? TLS : undefined });
  }

  addWorkload(
    kind: WorkloadKind,
    options: {
      namespace: string;
      name: string;
      labels?: Record<string, string>;
      replicas?: number;
      containers: Container[];
      initContainers?: Container[];
      rollout?: RolloutBehaviour;
    },
  ): void {
    const replicas = options.replicas ?? 3;
    this.workloads.set(this.key(kind, options.namespace, options.name), {
      kind,
      rollout: options.rollout ?? 'completes',
      desired: replicas,
      readsSincePatch: 0,
      workload: {
        kind,
        metadata: {
          name: options.name,
          namespace: options.namespace,
          generation: 1,
          labels: options.labels,
        },
        spec: {
          ...(kind === 'DaemonSet' ? {} : { replicas }),
          selector: { matchLabels: { app: options.name } },
          template: {
            spec: {
              containers: options.containers,
              ...(options.initContainers
                ? { initContainers: options.initContainers }
                : {}),
            },
          },
        },
        status: rolledOut(kind, replicas, 1),
      },
    });
  }

  workload(kind: WorkloadKind, namespace: string, name: string): Workload {
    return this.workloads.get(this.key(kind, namespace, name))!.workload;
  }

  setPods(namespace: string, pods: Pod[]): void {
    this.pods.set(namespace, pods);
  }

  private key(kind: WorkloadKind, namespace: string, name: string) {
    return `${kind}/${namespace}/${name}`;
  }

  protected refuseCredentials(): JsonApiAnswer {
    return refusal(401, 'Unauthorized', 'Unauthorized');
  }

  protected answer(request: RecordedRequest): JsonApiAnswer {
    const { method, path: requestPath, query } = request;
    if (this.forbidden) {
      return refusal(
        403,
        'Forbidden',
        `${method} ${requestPath} is forbidden: User "system:serviceaccount:backstage:immutable-releases" cannot do that`,
      );
    }

    const selector = query.labelSelector;
    const pods = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(requestPath);
    if (method === 'GET' && pods) {
      return {
        status: 200,
        json: {
          kind: 'PodList',
          metadata: {},
          items: (this.pods.get(pods[1]) ?? []).filter(pod =>
            matchesSelector(pod.metadata.labels, selector),
          ),
        },
      };
    }
    const apps =
      /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets|daemonsets)(?:\/([^/]+))?$/.exec(
        requestPath,
      );
    if (!apps) {
      return refusal(404, 'NotFound', `${requestPath} is not served here`);
    }
    const [, namespace, resource, name] = apps;
    const kind = RESOURCES[resource];
    if (name === undefined) {
      if (method !== 'GET') {
        return refusal(405, 'MethodNotAllowed', `${method} is not allowed`);
      }
      return {
        status: 200,
        json: {
          kind: `${kind}List`,
          metadata: {},
          items: [...this.workloads.values()]
            .filter(
              w =>
                w.kind === kind &&
                w.workload.metadata.namespace === namespace &&
                matchesSelector(w.workload.metadata.labels, selector),
            )
            .map(w => withoutKind(w.workload)),
        },
      };
    }
    const stored = this.workloads.get(this.key(kind, namespace, name));
    if (!stored) {
      return refusal(404, 'NotFound', `${resource}.apps "${name}" not found`);
    }
    if (method === 'GET' && this.unavailableReads > 0) {
      this.unavailableReads -= 1;
      return refusal(
        503,
        'ServiceUnavailable',
        'the server is currently unable to handle the request',
      );
    }
    if (method === 'GET') {
      advanceRollout(stored);
      return { status: 200, json: stored.workload };
    }
    if (method === 'PATCH') {
      if (request.contentType !== 'application/strategic-merge-patch+json') {
        return refusal(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        );
      }
      applyPatch(stored, request.body as PodTemplatePatch);
      return { status: 200, json: stored.workload };
    }
    return refusal(405, 'MethodNotAllowed', `${method} is not allowed`);
  }
}

/** A Kubernetes `Status` of failure. */
function refusal(code: number, reason: string, message: string): JsonApiAnswer {
  return {
    status: code,
    json: {
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason,
      message,
      code,
    },
  };
}

interface PodTemplatePatch {
  spec?: {
    template?: {
      spec?: { containers?: Container[]; initContainers?: Container[] };
    };
  };
}

/** Strategic merge of containers by name, as the API server does it for pod templates. */
function applyPatch(stored: StoredWorkload, patch: PodTemplatePatch) {
  const podSpec = stored.workload.spec.template.spec;
  const patchSpec = patch.spec?.template?.spec ?? {};
  let changed = false;
  const merge = (target: Container[] | undefined, patches?: Container[]) => {
    for (const containerPatch of patches ?? []) {
      const container = target?.find(c => c.name === containerPatch.name);
      if (!container) {
        throw new Error(`patch names unknown container ${containerPatch.name}`);
      }
      if (container.image !== containerPatch.image) {
        container.image = containerPatch.image;
        changed = true;
      }
    }
  };
  merge(podSpec.containers, patchSpec.containers);
  merge(podSpec.initContainers, patchSpec.initContainers);
  if (changed) {
    stored.workload.metadata.generation! += 1;
    stored.readsSincePatch = 0;
  }
}

/** Moves the status one step on, as controllers would between two reads. */
function advanceRollout(stored: StoredWorkload) {
  const { workload, kind } = stored;
  const generation = workload.metadata.generation!;
  if (
    workload.status?.observedGeneration === generation &&
    stored.readsSincePatch === 0
  ) {
    return;
  }
  stored.readsSincePatch += 1;
  const step = stored.readsSincePatch;
  const desired = stored.desired;
  if (step === 1) {
    // The controller has not seen the new generation yet.
    return;
  }
  if (stored.rollout === 'deadline') {
    workload.status = {
      ...midRollout(kind, desired, generation, 1),
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${workload.metadata.name}-7d4b9c" has timed out progressing.`,
        },
      ],
    };
    return;
  }
  if (stored.rollout === 'stalls' || step < 4) {
    workload.status = midRollout(kind, desired, generation, 1);
    return;
  }
  workload.status = rolledOut(kind, desired, generation);
}

function rolledOut(kind: WorkloadKind, desired: number, generation: number) {
  if (kind === 'DaemonSet') {
    return {
      observedGeneration: generation,
      desiredNumberScheduled: desired,
      currentNumberScheduled: desired,
      updatedNumberScheduled: desired,
      numberAvailable: desired,
      numberReady: desired,
    };
  }
  return {
    observedGeneration: generation,
    replicas: desired,
    updatedReplicas: desired,
    readyReplicas: desired,
    availableReplicas: desired,
    ...(kind === 'StatefulSet'
      ? { currentRevision: `r${generation}`, updateRevision: `r${generation}` }
      : {}),
  };
}

function midRollout(
  kind: WorkloadKind,
  desired: number,
  generation: number,
  updated: number,
) {
  if (kind === 'DaemonSet') {
    return {
      observedGeneration: generation,
      desiredNumberScheduled: desired,
      currentNumberScheduled: desired,
      updatedNumberScheduled: updated,
      numberAvailable: desired - updated,
    };
  }
  return {
    observedGeneration: generation,
    replicas: desired + updated,
    updatedReplicas: updated,
    readyReplicas: desired,
    availableReplicas: desired,
    unavailableReplicas: updated,
    ...(kind === 'StatefulSet'
      ? {
          currentRevision: `r${generation - 1}`,
          updateRevision: `r${generation}`,
        }
      : {}),
  };
}

function withoutKind(workload: Workload): Workload {
  const { kind: _kind, ...rest } = workload;
  return rest;
}

/** Equality (`k=v`), set (`k in (a,b)`) and existence (`k`) requirements, comma-separated. */
function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: string | undefined,
): boolean {
  if (!selector) {
    return true;
  }
  const requirements = selector.match(/[^,()]+(\([^)]*\))?/g) ?? [];
  return requirements.every(requirement => {
    const set = /^\s*([^\s]+)\s+in\s+\(([^)]*)\)\s*$/.exec(requirement);
    if (set) {
      const values = set[2].split(',').map(v => v.trim());
      return labels?.[set[1]] !== undefined && values.includes(labels[set[1]]);
    }
    const equality = /^\s*([^=\s]+)\s*==?\s*([^\s]*)\s*$/.exec(requirement);
    if (equality) {
      return labels?.[equality[1]] === equality[2];
    }
    return labels?.[requirement.trim()] !== undefined;
  });
}
