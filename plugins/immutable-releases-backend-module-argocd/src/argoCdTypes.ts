/** The parts of an Argo CD Application (argoproj.io/v1alpha1) this module reads and writes. */
export interface Application {
  metadata: { name: string; namespace?: string };
  spec: {
    project?: string;
    source?: ApplicationSource;
    /** A multi-source Application; this module only edits `source`. */
    sources?: ApplicationSource[];
  };
  /** The operation requested and not yet finished. */
  operation?: unknown;
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string; message?: string };
    operationState?: OperationState;
    /** When the controller last compared the Application with its target state. */
    reconciledAt?: string;
    summary?: { images?: string[] };
    resources?: ResourceStatus[];
  };
}

export interface ApplicationSource {
  repoURL?: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  kustomize?: { images?: string[]; [key: string]: unknown };
  helm?: { parameters?: HelmParameter[]; [key: string]: unknown };
  [key: string]: unknown;
}

export interface HelmParameter {
  name: string;
  value?: string;
  forceString?: boolean;
}

export interface OperationState {
  /** `Running`, `Terminating`, `Failed`, `Error` or `Succeeded`. */
  phase?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
}

export interface ResourceStatus {
  kind?: string;
  name?: string;
  namespace?: string;
  health?: { status?: string; message?: string };
}
