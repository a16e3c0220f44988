import {
  assertKnownKeys,
  readPositiveDurationMs,
  validateUrlTemplate,
} from 'backstage-plugin-immutable-releases-node';
import { Config } from '@backstage/config';
import { JsonPath, parseJsonPath } from './jsonPath';
import { PipelineDefinition } from '../pipelines/pipelineConfig';

const DRIFT_KEY = 'immutableReleases.drift';
const DRIFT_KEYS = [
  'staleAfter',
  'concurrency',
  'probes',
  // Read by the Kubernetes module (backend-module-kubernetes).
  'kubernetes',
  // Read by the Argo CD module (backend-module-argocd).
  'argocd',
];
const PROBE_KEYS = [
  'environment',
  'pipeline',
  'url',
  'digestPath',
  'digestHeader',
  'frequency',
  'timeout',
];

/** One HTTP probe from `immutableReleases.drift.probes`. */
export interface HttpProbeDefinition {
  /** The observation source id: `http-probe:<environment>` (plus `#<n>` when taken). */
  id: string;
  /** Where it is configured, for messages: `immutableReleases.drift.probes[0]`. */
  configKey: string;
  environment: string;
  pipeline: string | null;
  /** A URL template (see urlTemplate.ts of the -node package). */
  url: string;
  digestPath: { text: string; steps: JsonPath } | null;
  digestHeader: string | null;
  frequencyMs: number;
  /** Of one request. */
  timeoutMs: number;
}

export interface DriftConfig {
  staleAfterMs: number;
  /** Requests a probe run makes at once. */
  concurrency: number;
  probes: HttpProbeDefinition[];
}

/** Reads and checks `immutableReleases.drift`; a mistake throws naming the key. */
export function readDriftConfig(
  root: Config,
  pipelines: ReadonlyMap<string, PipelineDefinition>,
): DriftConfig {
  const config = root.getOptionalConfig(DRIFT_KEY);
  if (!config) {
    return { staleAfterMs: 15 * 60_000, concurrency: 5, probes: [] };
  }
  assertKnownKeys(config, DRIFT_KEYS, DRIFT_KEY);
  const concurrency = config.getOptionalNumber('concurrency') ?? 5;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 100) {
    throw new Error(
      `${DRIFT_KEY}.concurrency must be a whole number from 1 to 100, got ${concurrency}`,
    );
  }
  const ids = new Set<string>();
  const probes = (config.getOptionalConfigArray('probes') ?? []).map(
    (probe, index) => {
      const definition = readProbe(
        probe,
        `${DRIFT_KEY}.probes[${index}]`,
        pipelines,
      );
      let id = `http-probe:${definition.environment}`;
      for (let n = 2; ids.has(id); n++) {
        id = `http-probe:${definition.environment}#${n}`;
      }
      ids.add(id);
      return { ...definition, id };
    },
  );
  return {
    staleAfterMs: readPositiveDurationMs(config, {
      key: 'staleAfter',
      configKey: DRIFT_KEY,
      defaultValue: { minutes: 15 },
    }),
    concurrency,
    probes,
  };
}

function readProbe(
  config: Config,
  key: string,
  pipelines: ReadonlyMap<string, PipelineDefinition>,
): Omit<HttpProbeDefinition, 'id'> {
  assertKnownKeys(config, PROBE_KEYS, key);
  const environment = config.getString('environment');
  const pipeline = config.getOptionalString('pipeline') ?? null;
  if (pipeline !== null && !pipelines.has(pipeline)) {
    throw new Error(
      `${key}.pipeline '${pipeline}' is not configured under immutableReleases.pipelines (configured: ${
        [...pipelines.keys()].join(', ') || 'none'
      })`,
    );
  }
  const candidates = pipeline
    ? [pipelines.get(pipeline)!]
    : [...pipelines.values()];
  if (!candidates.some(p => p.environments.some(e => e.name === environment))) {
    throw new Error(
      `${key}.environment '${environment}' is not an environment of ${
        pipeline ? `pipeline '${pipeline}'` : 'any configured pipeline'
      }`,
    );
  }

  const url = config.getString('url');
  try {
    validateUrlTemplate(url);
  } catch (error) {
    throw new Error(`${key}.url: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const digestPathText = config.getOptionalString('digestPath');
  const digestHeader = config.getOptionalString('digestHeader') ?? null;
  if ((digestPathText === undefined) === (digestHeader === null)) {
    throw new Error(
      `${key} needs exactly one of digestPath (e.g. '$.digest') and digestHeader`,
    );
  }
  let digestPath: HttpProbeDefinition['digestPath'] = null;
  if (digestPathText !== undefined) {
    try {
      digestPath = {
        text: digestPathText,
        steps: parseJsonPath(digestPathText),
      };
    } catch (error) {
      throw new Error(`${key}.digestPath: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return {
    configKey: key,
    environment,
    pipeline,
    url,
    digestPath,
    digestHeader: digestHeader?.toLowerCase() ?? null,
    frequencyMs: readPositiveDurationMs(config, {
      key: 'frequency',
      configKey: key,
      defaultValue: { minutes: 1 },
    }),
    timeoutMs: readPositiveDurationMs(config, {
      key: 'timeout',
      configKey: key,
      defaultValue: { seconds: 10 },
    }),
  };
}
