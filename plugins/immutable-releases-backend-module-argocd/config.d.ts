import { HumanDuration } from '@backstage/types';

export interface Config {
  immutableReleases?: {
    executors?: {
      [name: string]: {
        /** For `argocd`: the URL of the Argo CD server, e.g. `https://argocd.example.com`. */
        baseUrl?: string;
        /**
         * For `argocd`: an Argo CD API token (an account with `get`, `update`
         * and `sync` on the applications).
         * @visibility secret
         */
        token?: string;
        /**
         * For `argocd`: the Application of an entity's environment, a template
         * such as `{{ entity.metadata.name }}-{{ environment }}` (the
         * placeholders of drift probe URLs).
         */
        application?: string;
        /**
         * For `argocd`: the Helm parameter that takes the image as
         * `uri@digest`. Unset: the Kustomize image override of the release's
         * repository is set.
         */
        helmImageParameter?: string;
        /**
         * For `argocd`: the base64-encoded PEM of the certificate authority
         * of the Argo CD server, when it is not publicly trusted.
         */
        caData?: string;
        /** For `argocd`: do not verify the server's certificate (not in production). */
        skipTLSVerify?: boolean;
        /**
         * For `argocd`: how often the Application is read while waiting for
         * the sync (default 2 seconds).
         */
        pollInterval?: HumanDuration | string;
      };
    };
    drift?: {
      /**
       * Observe the digests Argo CD reports running
       * (`status.summary.images` of each entity's Application). Each entry
       * runs on its `frequency` as a global scheduled task, one request per
       * entity.
       */
      argocd?: Array<{
        /** The environment these Applications are. */
        environment: string;
        /** Only entities using this pipeline (default: every pipeline with the environment). */
        pipeline?: string;
        /** The URL of the Argo CD server. */
        baseUrl: string;
        /**
         * An Argo CD API token (an account with `get` on the applications).
         * @visibility secret
         */
        token: string;
        /** The Application of an entity, a template such as `{{ entity.metadata.name }}-production`. */
        application: string;
        /** The base64-encoded PEM of the certificate authority of the Argo CD server. */
        caData?: string;
        /** Do not verify the server's certificate (not in production). */
        skipTLSVerify?: boolean;
        /** How often the Applications are read (default 1 minute). */
        frequency?: HumanDuration | string;
      }>;
    };
  };
}
