import crypto from 'node:crypto';
import {
  bearerTokenOf,
  JsonApiAnswer,
  JsonApiServer,
  RecordedRequest,
} from '@internal/test-utils';
import { WorkflowRun } from '../githubTypes';

/**
 * What a dispatched run does, one step per GET of the run:
 * `succeeds` and `fails` go `queued` → `in_progress` → `completed`
 * (`success` or `failure`), `hangs` stays `in_progress`, and with
 * `never-starts` the dispatch is accepted but no run appears.
 */
export type RunBehaviour = 'succeeds' | 'fails' | 'hangs' | 'never-starts';

interface Workflow {
  repository: string;
  file: string;
  inputs: string[];
  behaviour: RunBehaviour;
}

interface StoredRun {
  run: WorkflowRun;
  repository: string;
  workflow: string;
  behaviour: RunBehaviour;
  reads: number;
}

const ROUTES = {
  runs: /^\/repos\/([^/]+\/[^/]+)\/actions\/workflows\/([^/]+)\/runs$/,
  dispatch:
    /^\/repos\/([^/]+\/[^/]+)\/actions\/workflows\/([^/]+)\/dispatches$/,
  run: /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)$/,
  cancel: /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)\/cancel$/,
};

/** An error as GitHub's REST API answers it. */
function githubError(status: number, message: string): JsonApiAnswer {
  return {
    status,
    json: { message, documentation_url: 'https://docs.github.com/rest' },
  };
}

const NOT_FOUND = githubError(404, 'Not Found');

/**
 * A GitHub REST API on 127.0.0.1 speaking the subset this module uses:
 * workflow dispatch, the runs list of a workflow (filtered by `event`,
 * `branch` and `created`), a run, and its cancellation, behind a bearer
 * token. Runs are created when a dispatch is accepted.
 */
export class GithubApiServer extends JsonApiServer {
  private readonly workflows: Workflow[] = [];
  private readonly runs: StoredRun[] = [];
  private nextRunId = 9000;
  /** Installation tokens this server issued to a GitHub App; accepted like the token. */
  private readonly installationTokens = new Set<string>();
  private app?: { publicKey: crypto.KeyObject; owner: string };
  /** Answer 403 to dispatches, as GitHub does for a token that may only read. */
  dispatchForbidden = false;
  /** Answer 502 to this many of the next GETs of a run. */
  failingRunReads = 0;

  /** Starts it on a free port; `host` is then the host of the integration. */
  static start(token: string): Promise<GithubApiServer> {
    return new GithubApiServer(token).listen();
  }

  private constructor(token: string) {
    super({ token });
  }

  /**
   * Serves a GitHub App installed on `owner`: `GET /app/installations` and
   * `POST /app/installations/{id}/access_tokens`, behind a JWT signed with
   * the app's private key, which `publicKey` verifies.
   */
  enableApp(publicKey: crypto.KeyObject, owner: string): void {
    this.app = { publicKey, owner };
  }

  /** A workflow with `on: workflow_dispatch` declaring `inputs`. */
  addWorkflow(
    repository: string,
    file: string,
    options: { inputs?: string[]; behaviour?: RunBehaviour } = {},
  ): void {
    this.workflows.push({
      repository,
      file,
      inputs: options.inputs ?? [],
      behaviour: options.behaviour ?? 'succeeds',
    });
  }

  /** A completed run that was dispatched before, `ageSeconds` ago. */
  addPastRun(
    repository: string,
    workflow: string,
    options: { branch: string; ageSeconds: number },
  ): WorkflowRun {
    const run = this.createRun(repository, workflow, 'succeeds', {
      branch: options.branch,
      createdAt: Date.now() - options.ageSeconds * 1000,
    });
    run.run.status = 'completed';
    run.run.conclusion = 'success';
    return run.run;
  }

  run(id: number): WorkflowRun | undefined {
    return this.runs.find(r => r.run.id === id)?.run;
  }

  private createRun(
    repository: string,
    workflow: string,
    behaviour: RunBehaviour,
    options: { branch: string; createdAt: number },
  ): StoredRun {
    const id = this.nextRunId++;
    const runNumber =
      this.runs.filter(r => r.repository === repository).length + 1;
    const stored: StoredRun = {
      repository,
      workflow,
      behaviour,
      reads: 0,
      run: {
        id,
        run_number: runNumber,
        html_url: `https://github.example/${repository}/actions/runs/${id}`,
        status: 'queued',
        conclusion: null,
        // GitHub gives the time to the second.
        created_at: new Date(options.createdAt)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
        event: 'workflow_dispatch',
        head_branch: options.branch,
      },
    };
    this.runs.push(stored);
    return stored;
  }

  /** The app's JWT is checked by the app routes; everything else takes the token or an installation token. */
  protected acceptsCredentials(request: RecordedRequest): boolean {
    if (this.app && request.path.startsWith('/app/')) {
      return true;
    }
    const bearer = bearerTokenOf(request) ?? '';
    return bearer === this.token || this.installationTokens.has(bearer);
  }

  protected refuseCredentials(): JsonApiAnswer {
    return githubError(401, 'Bad credentials');
  }

  protected answer(request: RecordedRequest): JsonApiAnswer {
    const { method, path, query } = request;
    if (this.app && path.startsWith('/app/')) {
      return this.answerApp(request);
    }
    const workflowOf = (repository: string, file: string) =>
      this.workflows.find(
        w => w.repository === repository && w.file === decodeURIComponent(file),
      );

    let match = ROUTES.dispatch.exec(path);
    if (match && method === 'POST' && this.dispatchForbidden) {
      return githubError(
        403,
        'Resource not accessible by personal access token',
      );
    }
    if (match && method === 'POST') {
      const workflow = workflowOf(match[1], match[2]);
      if (!workflow) {
        return NOT_FOUND;
      }
      const { ref, inputs = {} } = request.body ?? {};
      const unexpected = Object.keys(inputs).filter(
        name => !workflow.inputs.includes(name),
      );
      if (typeof ref !== 'string' || unexpected.length > 0) {
        return {
          status: 422,
          json: {
            message: `Unexpected inputs provided: ${JSON.stringify(
              unexpected,
            )}`,
          },
        };
      }
      if (workflow.behaviour !== 'never-starts') {
        this.createRun(workflow.repository, workflow.file, workflow.behaviour, {
          branch: ref.replace(/^refs\/(heads|tags)\//, ''),
          createdAt: Date.now(),
        });
      }
      return { status: 204 };
    }
    match = ROUTES.runs.exec(path);
    if (match && method === 'GET') {
      const workflow = workflowOf(match[1], match[2]);
      if (!workflow) {
        return NOT_FOUND;
      }
      const since = query.created?.replace(/^>=/, '');
      const runs = this.runs
        .filter(
          r =>
            r.repository === workflow.repository &&
            r.workflow === workflow.file &&
            r.run.event === query.event &&
            r.run.head_branch === query.branch &&
            (!since || Date.parse(r.run.created_at) >= Date.parse(since)),
        )
        .map(r => r.run)
        .reverse();
      return {
        status: 200,
        json: { total_count: runs.length, workflow_runs: runs },
      };
    }
    match = ROUTES.run.exec(path);
    if (match && method === 'GET' && this.failingRunReads > 0) {
      this.failingRunReads--;
      return { status: 502, contentType: 'text/html', text: '<h1>502</h1>' };
    }
    if (match && method === 'GET') {
      const stored = this.runs.find(
        r => r.repository === match![1] && r.run.id === Number(match![2]),
      );
      if (!stored) {
        return NOT_FOUND;
      }
      this.advance(stored);
      return { status: 200, json: stored.run };
    }
    match = ROUTES.cancel.exec(path);
    if (match && method === 'POST') {
      const stored = this.runs.find(
        r => r.repository === match![1] && r.run.id === Number(match![2]),
      );
      if (!stored) {
        return NOT_FOUND;
      }
      stored.run.status = 'completed';
      stored.run.conclusion = 'cancelled';
      return { status: 202, json: {} };
    }
    return NOT_FOUND;
  }

  private answerApp(request: RecordedRequest): JsonApiAnswer {
    const { method, path } = request;
    const jwt = bearerTokenOf(request) ?? '';
    const [header, claims, signature] = jwt.split('.');
    const signed =
      signature !== undefined &&
      crypto.verify(
        'RSA-SHA256',
        Buffer.from(`${header}.${claims}`),
        this.app!.publicKey,
        Buffer.from(signature, 'base64url'),
      );
    if (!signed) {
      return {
        status: 401,
        json: { message: 'A JSON web token could not be decoded' },
      };
    }
    if (method === 'GET' && path === '/app/installations') {
      return {
        status: 200,
        json: [
          { id: 42, account: { login: this.app!.owner }, suspended_by: null },
        ],
      };
    }
    if (method === 'POST' && path === '/app/installations/42/access_tokens') {
      const token = `ghs_${crypto.randomBytes(12).toString('hex')}`;
      this.installationTokens.add(token);
      return {
        status: 201,
        json: {
          token,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          repository_selection: 'all',
        },
      };
    }
    return { status: 404, json: { message: 'Not Found' } };
  }

  private advance(stored: StoredRun): void {
    if (stored.run.status === 'completed') {
      return;
    }
    stored.reads++;
    if (stored.reads === 1 || stored.behaviour === 'hangs') {
      stored.run.status = 'in_progress';
    } else {
      stored.run.status = 'completed';
      stored.run.conclusion =
        stored.behaviour === 'succeeds' ? 'success' : 'failure';
    }
  }
}
