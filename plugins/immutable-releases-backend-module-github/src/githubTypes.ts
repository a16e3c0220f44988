/** The fields of a workflow run (`GET /repos/{owner}/{repo}/actions/runs/{id}`) this module reads. */
export interface WorkflowRun {
  id: number;
  run_number: number;
  html_url: string;
  /** `queued`, `in_progress`, `completed`, … */
  status: string;
  /** Set once completed: `success`, `failure`, `cancelled`, `timed_out`, … */
  conclusion: string | null;
  /** ISO 8601, to the second. */
  created_at: string;
  event: string;
  head_branch: string | null;
}

/** `GET /repos/{owner}/{repo}/actions/workflows/{workflow}/runs`. */
export interface WorkflowRunList {
  total_count: number;
  workflow_runs: WorkflowRun[];
}
