import { Workload } from './kubernetesTypes';
import { WorkloadKind } from './workloadKinds';

const ON_DELETE =
  'its updateStrategy is OnDelete: pods take the new image only when someone deletes them';

/** Where a workload's rollout stands, read from one GET of it. */
export interface RolloutProgress {
  state: 'complete' | 'progressing' | 'failed';
  /** The replica counts, e.g. `3 desired, 2 updated, 1 available, 4 total`. */
  replicas: string;
  /** Why it is not complete (empty when it is). */
  reason: string;
}

/**
 * Decides whether a rollout is complete, still going, or cannot complete,
 * with the same rules as `kubectl rollout status`: the controller has seen
 * the latest generation, every desired replica runs the new template and is
 * available, and no replica of an older template is left.
 */
export function rolloutProgress(
  kind: WorkloadKind,
  workload: Workload,
): RolloutProgress {
  const status = workload.status ?? {};
  const generation = workload.metadata.generation ?? 0;
  const observed = status.observedGeneration ?? 0;
  const { replicas, waitingFor, failure } = (() => {
    switch (kind) {
      case 'Deployment':
        return deploymentProgress(workload);
      case 'StatefulSet':
        return statefulSetProgress(workload);
      default:
        return daemonSetProgress(workload);
    }
  })();
  if (failure) {
    return { state: 'failed', replicas, reason: failure };
  }
  if (observed < generation) {
    return {
      state: 'progressing',
      replicas,
      reason: `generation ${generation} not yet observed by the controller (observed ${observed})`,
    };
  }
  if (waitingFor) {
    return { state: 'progressing', replicas, reason: waitingFor };
  }
  return { state: 'complete', replicas, reason: '' };
}

interface KindProgress {
  replicas: string;
  waitingFor?: string;
  failure?: string;
}

function deploymentProgress(workload: Workload): KindProgress {
  const status = workload.status ?? {};
  const desired = workload.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  const replicas = `${desired} desired, ${updated} updated, ${available} available, ${total} total`;
  const progressing = status.conditions?.find(c => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      replicas,
      failure: `ProgressDeadlineExceeded${
        progressing.message ? `: ${progressing.message}` : ''
      }`,
    };
  }
  return {
    replicas,
    waitingFor:
      firstUnmet([
        [updated < desired, `${updated} of ${desired} replicas updated`],
        [total > updated, `${total - updated} old replicas still running`],
        [
          available < updated,
          `${available} of ${updated} updated replicas available`,
        ],
      ]) ?? undefined,
  };
}

function statefulSetProgress(workload: Workload): KindProgress {
  const status = workload.status ?? {};
  const desired = workload.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const ready = status.availableReplicas ?? status.readyReplicas ?? 0;
  const total = status.replicas ?? 0;
  const replicas = `${desired} desired, ${updated} updated, ${ready} ready, ${total} total`;
  const strategy = workload.spec.updateStrategy;
  if (strategy?.type === 'OnDelete') {
    return { replicas, failure: ON_DELETE };
  }
  const partition = strategy?.rollingUpdate?.partition ?? 0;
  const revisionsDiffer =
    partition === 0 &&
    status.updateRevision !== undefined &&
    status.currentRevision !== status.updateRevision;
  return {
    replicas,
    waitingFor:
      firstUnmet([
        [
          updated < desired - partition,
          `${updated} of ${desired - partition} replicas updated`,
        ],
        [
          total > desired || revisionsDiffer,
          `replicas of revision ${status.currentRevision} still running`,
        ],
        [ready < desired, `${ready} of ${desired} replicas ready`],
      ]) ?? undefined,
  };
}

function daemonSetProgress(workload: Workload): KindProgress {
  const status = workload.status ?? {};
  const desired = status.desiredNumberScheduled ?? 0;
  const updated = status.updatedNumberScheduled ?? 0;
  const available = status.numberAvailable ?? 0;
  const current = status.currentNumberScheduled ?? desired;
  const replicas = `${desired} desired, ${updated} updated, ${available} available, ${current} scheduled`;
  if (workload.spec.updateStrategy?.type === 'OnDelete') {
    return { replicas, failure: ON_DELETE };
  }
  return {
    replicas,
    waitingFor:
      firstUnmet([
        [updated < desired, `${updated} of ${desired} pods updated`],
        [current > updated, `${current - updated} old pods still running`],
        [available < desired, `${available} of ${desired} pods available`],
      ]) ?? undefined,
  };
}

function firstUnmet(checks: Array<[boolean, string]>): string | null {
  return checks.find(([unmet]) => unmet)?.[1] ?? null;
}
