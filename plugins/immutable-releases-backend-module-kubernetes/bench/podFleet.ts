import http from 'node:http';
import { AddressInfo } from 'node:net';

export const NAMESPACE = 'bench';
export const KUBERNETES_ID = 'backstage.io/kubernetes-id';
const PODS_PER_ENTITY = 3;
const PAGE_LIMIT_MAX = 500;

/** One entity of the fleet: its id and the digests its pods run. */
export interface FleetEntity {
  name: string;
  uri: string;
  digest: string;
  /** Mid-rollout: one pod already runs this digest. */
  rollingTo?: string;
}

/**
 * A pod as the API server answers it: the fields a kubelet fills in, so that
 * listing and parsing cost what they cost against a cluster.
 */
function podOf(entity: FleetEntity, index: number) {
  const digest =
    entity.rollingTo && index === 0 ? entity.rollingTo : entity.digest;
  const name = `${entity.name}-7d4b9c6f5-${index
    .toString(36)
    .padStart(5, 'x')}`;
  const started = '2026-11-30T08:00:00Z';
  return {
    metadata: {
      name,
      generateName: `${entity.name}-7d4b9c6f5-`,
      namespace: NAMESPACE,
      uid: `00000000-0000-4000-8000-${(index + 1)
        .toString(16)
        .padStart(12, '0')}`,
      resourceVersion: '48211',
      creationTimestamp: started,
      labels: {
        app: entity.name,
        [KUBERNETES_ID]: entity.name,
        'pod-template-hash': '7d4b9c6f5',
      },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${entity.name}-7d4b9c6f5`,
          uid: '00000000-0000-4000-8000-00000000aaaa',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: `${entity.uri}@${digest}`,
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          env: [
            { name: 'PORT', value: '8080' },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
          resources: {
            limits: { cpu: '500m', memory: '512Mi' },
            requests: { cpu: '100m', memory: '256Mi' },
          },
          readinessProbe: {
            httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
            periodSeconds: 10,
          },
          imagePullPolicy: 'IfNotPresent',
        },
        {
          name: 'log-shipper',
          image: 'ghcr.io/acme/log-shipper:2.1',
          resources: { requests: { cpu: '10m', memory: '32Mi' } },
        },
      ],
      restartPolicy: 'Always',
      serviceAccountName: entity.name,
      nodeName: `node-${index % 7}`,
    },
    status: {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True', lastTransitionTime: started },
        { type: 'Ready', status: 'True', lastTransitionTime: started },
        {
          type: 'ContainersReady',
          status: 'True',
          lastTransitionTime: started,
        },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: started },
      ],
      hostIP: '10.0.0.7',
      podIP: `10.1.${index % 250}.${(index * 7) % 250}`,
      startTime: started,
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 0,
          image: `${entity.uri}@${digest}`,
          imageID: `${entity.uri}@${digest}`,
          containerID: `containerd://${'c'.repeat(64)}`,
          started: true,
          state: { running: { startedAt: started } },
        },
        {
          name: 'log-shipper',
          ready: true,
          restartCount: 0,
          image: 'ghcr.io/acme/log-shipper:2.1',
          imageID: `ghcr.io/acme/log-shipper@sha256:${'d'.repeat(64)}`,
          containerID: `containerd://${'e'.repeat(64)}`,
          started: true,
          state: { running: { startedAt: started } },
        },
      ],
      qosClass: 'Burstable',
    },
  };
}

/**
 * Serves the pods of a fleet as a Kubernetes API server lists them:
 * `GET /api/v1/namespaces/bench/pods` with a `labelSelector` of the
 * entities' id label (existence, or `in (…)`) and `limit`/`continue` pages.
 */
export async function startPodServer(
  entities: FleetEntity[],
  token: string,
): Promise<{ url: string; pods: number; stop(): Promise<void> }> {
  const pods = entities.flatMap(entity =>
    Array.from({ length: PODS_PER_ENTITY }, (_, i) => podOf(entity, i)),
  );
  const server = http.createServer(
    { maxHeaderSize: 1024 * 1024 },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.headers.authorization !== `Bearer ${token}`) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ kind: 'Status', code: 401, reason: 'Unauthorized' }),
        );
        return;
      }
      if (url.pathname !== `/api/v1/namespaces/${NAMESPACE}/pods`) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ kind: 'Status', code: 404, reason: 'NotFound' }),
        );
        return;
      }
      const selected = selectorOf(url.searchParams.get('labelSelector'));
      if (!selected) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ kind: 'Status', code: 400, reason: 'BadRequest' }),
        );
        return;
      }
      const matching = pods.filter(selected);
      const limit = Math.min(
        Number(url.searchParams.get('limit')) || matching.length,
        PAGE_LIMIT_MAX,
      );
      const start = Number(url.searchParams.get('continue') ?? 0);
      const page = matching.slice(start, start + limit);
      const next = start + limit < matching.length ? String(start + limit) : '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'PodList',
          apiVersion: 'v1',
          metadata: { resourceVersion: '48211', continue: next },
          items: page,
        }),
      );
    },
  );
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pods: pods.length,
    stop: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The label selectors the drift source sends: `<label>` or `<label> in (a,b)`. */
function selectorOf(
  selector: string | null,
): ((pod: ReturnType<typeof podOf>) => boolean) | undefined {
  if (selector === KUBERNETES_ID) {
    return pod => KUBERNETES_ID in pod.metadata.labels;
  }
  const match = /^backstage\.io\/kubernetes-id in \((.*)\)$/.exec(
    selector ?? '',
  );
  if (!match) {
    return undefined;
  }
  const ids = new Set(match[1].split(','));
  return pod => ids.has(pod.metadata.labels[KUBERNETES_ID]);
}
