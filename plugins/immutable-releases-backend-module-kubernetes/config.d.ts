import { HumanDuration } from '@backstage/types';

export interface Config {
  immutableReleases?: {
    executors?: {
      [name: string]: {
        /**
         * For `kubernetes`: the name of a cluster configured for Backstage's
         * Kubernetes plugin under `kubernetes.clusterLocatorMethods`
         * (`type: config`, `authProvider: serviceAccount`).
         */
        cluster?: string;
        /**
         * For `kubernetes`: the namespace of the workloads. Default: the
         * entity's `backstage.io/kubernetes-namespace` annotation, else `default`.
         */
        namespace?: string;
        /**
         * For `kubernetes`: how often the rollout status is read while
         * waiting for it (default 2 seconds).
         */
        pollInterval?: HumanDuration | string;
      };
    };
    drift?: {
      /**
       * Observe the digests that pods run. Each entry runs on its
       * `frequency` as a global scheduled task and lists the pods of each
       * namespace once per run.
       */
      kubernetes?: Array<{
        /** The environment these pods are. */
        environment: string;
        /** Only entities using this pipeline (default: every pipeline with the environment). */
        pipeline?: string;
        /** A cluster name from `kubernetes.clusterLocatorMethods`. */
        cluster: string;
        /**
         * The namespace of the pods. Default: the entity's
         * `backstage.io/kubernetes-namespace` annotation, else `default`.
         */
        namespace?: string;
        /** How often the pods are listed (default 1 minute). */
        frequency?: HumanDuration | string;
      }>;
    };
  };
}
