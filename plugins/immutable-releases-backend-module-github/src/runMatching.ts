import { WorkflowRun } from './githubTypes';

/**
 * How far before the dispatch the runs list is searched. The runs that
 * already existed are excluded by id, not by time, so a clock of this
 * backend that differs from GitHub's by less than this does not matter.
 */
export const CREATED_SLACK_MS = 5 * 60_000;

/** The branch or tag name GitHub reports as a run's `head_branch` for `ref`. */
export function branchOf(ref: string): string {
  return ref.replace(/^refs\/(heads|tags)\//, '');
}

/**
 * The query of the runs list that may hold the run a dispatch at
 * `dispatchedAt` (milliseconds) started on `ref`.
 */
export function dispatchedRunsQuery(
  ref: string,
  dispatchedAt: number,
): Record<string, string> {
  const since = new Date(dispatchedAt - CREATED_SLACK_MS);
  return {
    event: 'workflow_dispatch',
    branch: branchOf(ref),
    created: `>=${since.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    per_page: '100',
  };
}

/**
 * The run a dispatch started: of the `workflow_dispatch` runs on the ref
 * that were not listed before the dispatch, the oldest. GitHub's dispatch
 * answer does not name the run, so a dispatch of the same workflow on the
 * same ref by someone else within the same seconds can be taken for ours.
 */
export function pickDispatchedRun(
  runs: WorkflowRun[],
  options: { ref: string; runIdsBeforeDispatch: ReadonlySet<number> },
): WorkflowRun | undefined {
  const branch = branchOf(options.ref);
  return runs
    .filter(
      run =>
        run.event === 'workflow_dispatch' &&
        run.head_branch === branch &&
        !options.runIdsBeforeDispatch.has(run.id),
    )
    .sort(
      (a, b) =>
        Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id,
    )[0];
}
