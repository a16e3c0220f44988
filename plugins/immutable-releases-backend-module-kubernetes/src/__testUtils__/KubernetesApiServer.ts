import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { AddressInfo } from 'node:net';
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

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

const TLS_DIR = path.join(__dirname, 'tls');

/** The base64 PEM a cluster's `caData` holds to trust the HTTPS server. */
export const TEST_CA_DATA = fs
  .readFileSync(path.join(TLS_DIR, 'test-only-cert.pem'))
  .toString('base64');

const RESOURCES = Object.fromEntries(
  Object.entries(WORKLOAD_KINDS).map(([kind, resource]) => [resource, kind]),
) as Record<string, WorkloadKind>;

/**
 * A Kubernetes API server on 127.0.0.1 speaking the subset this module uses:
 * apps/v1 Deployments, StatefulSets and DaemonSets (list with labelSelector,
 * get, strategic merge patch) and core/v1 pod lists, behind a bearer token.
 */
export class KubernetesApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly workloads = new Map<string, StoredWorkload>();
  private readonly pods = new Map<string, Pod[]>();
  private readonly server: http.Server;
  /** Answer 403 to every request with the right token (RBAC missing). */
  forbidden = false;
  /** Answer 503 to this many of the next GETs of a single workload. */
  unavailableReads = 0;

  /**
   * Starts it on a free port; with `tls`, over HTTPS with the self-signed
   * certificate of `tls/` (see {@link TEST_CA_DATA}).
   */
  static async start(
    token: string,
    options: { tls?: boolean } = {},
  ): Promise<KubernetesApiServer> {
    const api = new KubernetesApiServer(token, options.tls ?? false);
    await new Promise<void>(resolve =>
      api.server.listen(0, '127.0.0.1', resolve),
    );
    return api;
  }

  private constructor(
    private readonly token: string,
    private readonly tls: boolean,
  ) {
    const handler: http.RequestListener = (req, res) => this.handle(req, res);
    this.server = tls
      ? https.createServer(
          {
            key: fs.readFileSync(path.join(TLS_DIR, 'test-only-key.pem')),
            cert: fs.readFileSync(path.join(TLS_DIR, 'test-only-cert.pem')),
          },
          handler,
        )
      : http.createServer(handler);
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${this.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
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

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url!, 'http://localhost');
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const recorded: RecordedRequest = {
      method: req.method!,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      contentType: req.headers['content-type'],
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(recorded);

    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const refuse = (code: number, reason: string, message: string) =>
      answer(code, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason,
        message,
        code,
      });

    if (req.headers.authorization !== `Bearer ${this.token}`) {
      refuse(401, 'Unauthorized', 'Unauthorized');
      return;
    }
    if (this.forbidden) {
      refuse(
        403,
        'Forbidden',
        `${req.method} ${url.pathname} is forbidden: User "system:serviceaccount:backstage:immutable-releases" cannot do that`,
      );
      return;
    }

    const selector = url.searchParams.get('labelSelector');
    const pods = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
    if (req.method === 'GET' && pods) {
      answer(200, {
        kind: 'PodList',
        metadata: {},
        items: (this.pods.get(pods[1]) ?? []).filter(pod =>
          matchesSelector(pod.metadata.labels, selector),
        ),
      });
      return;
    }
    const apps =
      /^\/apis\/apps\/v1\/namespaces\/([^/]+)\/(deployments|statefulsets|daemonsets)(?:\/([^/]+))?$/.exec(
        url.pathname,
      );
    if (!apps) {
      refuse(404, 'NotFound', `${url.pathname} is not served here`);
      return;
    }
    const [, namespace, resource, name] = apps;
    const kind = RESOURCES[resource];
    if (name === undefined) {
      if (req.method !== 'GET') {
        refuse(405, 'MethodNotAllowed', `${req.method} is not allowed`);
        return;
      }
      answer(200, {
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
      });
      return;
    }
    const stored = this.workloads.get(this.key(kind, namespace, name));
    if (!stored) {
      refuse(404, 'NotFound', `${resource}.apps "${name}" not found`);
      return;
    }
    if (req.method === 'GET' && this.unavailableReads > 0) {
      this.unavailableReads -= 1;
      refuse(
        503,
        'ServiceUnavailable',
        'the server is currently unable to handle the request',
      );
      return;
    }
    if (req.method === 'GET') {
      advanceRollout(stored);
      answer(200, stored.workload);
      return;
    }
    if (req.method === 'PATCH') {
      if (recorded.contentType !== 'application/strategic-merge-patch+json') {
        refuse(
          415,
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
        );
        return;
      }
      applyPatch(stored, recorded.body as PodTemplatePatch);
      answer(200, stored.workload);
      return;
    }
    refuse(405, 'MethodNotAllowed', `${req.method} is not allowed`);
  }
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
  selector: string | null,
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
