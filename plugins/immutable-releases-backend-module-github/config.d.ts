import { HumanDuration } from '@backstage/types';

export interface Config {
  immutableReleases?: {
    executors?: {
      [name: string]: {
        /**
         * For `github-actions`: the repository of the workflow, `owner/name`.
         * A template: `acme/{{ entity.metadata.name }}`.
         */
        repository?: string;
        /**
         * For `github-actions`: the workflow to dispatch, a file name in
         * `.github/workflows` such as `deploy.yml`, or its numeric id. It
         * must have an `on: workflow_dispatch` trigger.
         */
        workflow?: string | number;
        /**
         * For `github-actions`: the branch or tag the workflow runs on
         * (default `main`). A template.
         */
        ref?: string;
        /**
         * For `github-actions`: the workflow's inputs, by input name; each a
         * template such as `{{ deployment.artifactRef }}`. Only inputs the
         * workflow declares: GitHub refuses the others.
         */
        inputs?: { [input: string]: string | number | boolean };
        /**
         * For `github-actions`: the GitHub host, which must have an entry
         * with a token or a GitHub App under `integrations.github`
         * (default `github.com`).
         */
        host?: string;
        /**
         * For `github-actions`: how often the runs are read while waiting
         * for the run to appear and to complete (default 10 seconds). The
         * whole deployment, from the dispatch, must end within `timeout`
         * (default 30 minutes).
         */
        pollInterval?: HumanDuration | string;
      };
    };
  };
}
