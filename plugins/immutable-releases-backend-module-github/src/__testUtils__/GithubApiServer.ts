import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
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

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body?: any;
}

const ROUTES = {
  runs: /^\/repos\/([^/]+\/[^/]+)\/actions\/workflows\/([^/]+)\/runs$/,
  dispatch:
    /^\/repos\/([^/]+\/[^/]+)\/actions\/workflows\/([^/]+)\/dispatches$/,
  run: /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)$/,
  cancel: /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)\/cancel$/,
};

/**
 * A GitHub REST API on 127.0.0.1 speaking the subset this module uses:
 * workflow dispatch, the runs list of a workflow (filtered by `event`,
 * `branch` and `created`), a run, and its cancellation, behind a bearer
 * token. Runs are created when a dispatch is accepted.
 */
export class GithubApiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly workflows: Workflow[] = [];
  private readonly runs: StoredRun[] = [];
  private readonly server: http.Server;
  private nextRunId = 9000;
  /** Installation tokens this server issued to a GitHub App; accepted like the token. */
  private readonly installationTokens = new Set<string>();
  private app?: { publicKey: crypto.KeyObject; owner: string };
  /** Answer 403 to dispatches, as GitHub does for a token that may only read. */
  dispatchForbidden = false;
  /** Answer 502 to this many of the next GETs of a run. */
  failingRunReads = 0;

  static async start(token: string): Promise<GithubApiServer> {
    const api = new GithubApiServer(token);
    await new Promise<void>(resolve =>
      api.server.listen(0, '127.0.0.1', resolve),
    );
    return api;
  }

  private constructor(private readonly token: string) {
    this.server = http.createServer((req, res) => this.handle(req, res));
  }

  /** `127.0.0.1:<port>`: the host of the integration. */
  get host(): string {
    const { port } = this.server.address() as AddressInfo;
    return `127.0.0.1:${port}`;
  }

  get url(): string {
    return `http://${this.host}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
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

  private async handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const text = await new Promise<string>(resolve => {
      let data = '';
      req.on('data', chunk => {
        data += chunk;
      });
      req.on('end', () => resolve(data));
    });
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      body: text ? JSON.parse(text) : undefined,
    };
    this.requests.push(recorded);
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (this.app && url.pathname.startsWith('/app/')) {
      this.handleApp(req, res, url.pathname);
      return;
    }
    const bearer = req.headers.authorization?.replace(/^bearer /i, '');
    if (bearer !== this.token && !this.installationTokens.has(bearer ?? '')) {
      send(401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
      });
      return;
    }
    const notFound = () =>
      send(404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
      });
    const workflowOf = (repository: string, file: string) =>
      this.workflows.find(
        w => w.repository === repository && w.file === decodeURIComponent(file),
      );

    let match = ROUTES.dispatch.exec(url.pathname);
    if (match && req.method === 'POST' && this.dispatchForbidden) {
      send(403, {
        message: 'Resource not accessible by personal access token',
        documentation_url: 'https://docs.github.com/rest',
      });
      return;
    }
    if (match && req.method === 'POST') {
      const workflow = workflowOf(match[1], match[2]);
      if (!workflow) {
        notFound();
        return;
      }
      const { ref, inputs = {} } = recorded.body ?? {};
      const unexpected = Object.keys(inputs).filter(
        name => !workflow.inputs.includes(name),
      );
      if (typeof ref !== 'string' || unexpected.length > 0) {
        send(422, {
          message: `Unexpected inputs provided: ${JSON.stringify(unexpected)}`,
        });
        return;
      }
      if (workflow.behaviour !== 'never-starts') {
        this.createRun(workflow.repository, workflow.file, workflow.behaviour, {
          branch: ref.replace(/^refs\/(heads|tags)\//, ''),
          createdAt: Date.now(),
        });
      }
      res.writeHead(204).end();
      return;
    }
    match = ROUTES.runs.exec(url.pathname);
    if (match && req.method === 'GET') {
      const workflow = workflowOf(match[1], match[2]);
      if (!workflow) {
        notFound();
        return;
      }
      const since = url.searchParams.get('created')?.replace(/^>=/, '');
      const runs = this.runs
        .filter(
          r =>
            r.repository === workflow.repository &&
            r.workflow === workflow.file &&
            r.run.event === url.searchParams.get('event') &&
            r.run.head_branch === url.searchParams.get('branch') &&
            (!since || Date.parse(r.run.created_at) >= Date.parse(since)),
        )
        .map(r => r.run)
        .reverse();
      send(200, { total_count: runs.length, workflow_runs: runs });
      return;
    }
    match = ROUTES.run.exec(url.pathname);
    if (match && req.method === 'GET' && this.failingRunReads > 0) {
      this.failingRunReads--;
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502</h1>');
      return;
    }
    if (match && req.method === 'GET') {
      const stored = this.runs.find(
        r => r.repository === match![1] && r.run.id === Number(match![2]),
      );
      if (!stored) {
        notFound();
        return;
      }
      this.advance(stored);
      send(200, stored.run);
      return;
    }
    match = ROUTES.cancel.exec(url.pathname);
    if (match && req.method === 'POST') {
      const stored = this.runs.find(
        r => r.repository === match![1] && r.run.id === Number(match![2]),
      );
      if (!stored) {
        notFound();
        return;
      }
      stored.run.status = 'completed';
      stored.run.conclusion = 'cancelled';
      send(202, {});
      return;
    }
    notFound();
  }

  private handleApp(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    path: string,
  ): void {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const jwt = req.headers.authorization?.replace(/^bearer /i, '') ?? '';
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
      send(401, { message: 'A JSON web token could not be decoded' });
      return;
    }
    if (req.method === 'GET' && path === '/app/installations') {
      send(200, [
        { id: 42, account: { login: this.app!.owner }, suspended_by: null },
      ]);
      return;
    }
    if (
      req.method === 'POST' &&
      path === '/app/installations/42/access_tokens'
    ) {
      const token = `ghs_${crypto.randomBytes(12).toString('hex')}`;
      this.installationTokens.add(token);
      send(201, {
        token,
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        repository_selection: 'all',
      });
      return;
    }
    send(404, { message: 'Not Found' });
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
