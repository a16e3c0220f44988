/** The parts of Kubernetes objects this module reads (apps/v1 and core/v1). */

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generation?: number;
  labels?: Record<string, string>;
  deletionTimestamp?: string;
}

export interface Container {
  name: string;
  image?: string;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface WorkloadStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  desiredNumberScheduled?: number;
  currentNumberScheduled?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  numberReady?: number;
  conditions?: Condition[];
}

/** A workload's pod selector (`spec.selector`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }>;
}

export interface Workload {
  kind?: string;
  metadata: ObjectMeta;
  spec: {
    replicas?: number;
    selector?: LabelSelector;
    template: { spec: PodSpec };
    updateStrategy?: {
      type?: string;
      rollingUpdate?: { partition?: number };
    };
  };
  status?: WorkloadStatus;
}

export interface ContainerStatus {
  name: string;
  image?: string;
  imageID?: string;
}

export interface Pod {
  metadata: ObjectMeta;
  spec: PodSpec;
  status?: {
    phase?: string;
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface ObjectList<T> {
  items: T[];
  metadata?: { continue?: string };
}
