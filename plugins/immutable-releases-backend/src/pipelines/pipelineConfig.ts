import {
  readPositiveDurationMs,
  validateUrlTemplate,
} from 'backstage-plugin-immutable-releases-node';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { CronExpressionParser } from 'cron-parser';
import {
  ProvenancePolicy,
  readProvenancePolicy,
  readSignaturePolicy,
  SignaturePolicy,
} from './attestationPolicies';

export type QueuePolicy = 'newest-wins' | 'fifo';

export interface FreezeWindow {
  cron: string;
  durationMs: number;
  reason: string;
  timeZone: string;
}

export interface HttpVerification {
  url: string;
  expectStatus: number;
  bodyContains?: string;
  timeoutMs: number;
  intervalMs: number;
}

export interface EnvironmentDefinition {
  name: string;
  from: string | null;
  executor: string;
  autoPromote: boolean;
  soakTimeMs: number;
  requiredChecks: string[];
  approvals: {
    required: number;
    allowSelfApproval: boolean;
    /** Users and groups told that a deployment waits for approval; absent: the entity's owner. */
    notify?: string[];
  } | null;
  freezeWindows: FreezeWindow[];
  verification: HttpVerification | null;
  autoRollback: boolean;
  /** The `signature` gate's keys, or null when the gate is not configured. */
  signature: SignaturePolicy | null;
  /** The `provenance` gate's rules, or null when the gate is not configured. */
  provenance: ProvenancePolicy | null;
}

export interface PipelineDefinition {
  name: string;
  queue: QueuePolicy;
  environments: EnvironmentDefinition[];
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

/**
 * Reads `immutableReleases.pipelines`. Any mistake stops start-up with a
 * message naming the key, so a pipeline never half-works at run time.
 */
export function readPipelines(
  config: Config,
  executorNames: ReadonlySet<string>,
): Map<string, PipelineDefinition> {
  const pipelines = new Map<string, PipelineDefinition>();
  const pipelinesConfig = config.getOptionalConfig(
    'immutableReleases.pipelines',
  );
  for (const name of pipelinesConfig?.keys() ?? []) {
    const key = `immutableReleases.pipelines.${name}`;
    if (!NAME_PATTERN.test(name)) {
      throw new Error(
        `${key}: a pipeline name must be letters, digits, '.', '_' or '-'`,
      );
    }
    pipelines.set(
      name,
      readPipeline(name, pipelinesConfig!.getConfig(name), key, executorNames),
    );
  }
  return pipelines;
}

function readPipeline(
  name: string,
  config: Config,
  key: string,
  executorNames: ReadonlySet<string>,
): PipelineDefinition {
  const queue = config.getOptionalString('queue') ?? 'newest-wins';
  if (queue !== 'newest-wins' && queue !== 'fifo') {
    throw new Error(
      `${key}.queue must be 'newest-wins' or 'fifo', got '${queue}'`,
    );
  }
  const environmentConfigs =
    config.getOptionalConfigArray('environments') ?? [];
  if (environmentConfigs.length === 0) {
    throw new Error(`${key}.environments must list at least one environment`);
  }
  const environments = environmentConfigs.map((environmentConfig, index) =>
    readEnvironment(
      environmentConfig,
      `${key}.environments[${index}]`,
      executorNames,
    ),
  );

  const names = new Set<string>();
  environments.forEach((environment, index) => {
    if (names.has(environment.name)) {
      throw new Error(
        `${key}.environments[${index}].name '${environment.name}' is used twice`,
      );
    }
    names.add(environment.name);
  });
  environments.forEach((environment, index) => {
    if (environment.from !== null && !names.has(environment.from)) {
      throw new Error(
        `${key}.environments[${index}].from names '${environment.from}', which is not an environment of this pipeline`,
      );
    }
  });
  assertNoCycle(environments, key);
  return { name, queue, environments };
}

function assertNoCycle(environments: EnvironmentDefinition[], key: string) {
  const fromOf = new Map(environments.map(e => [e.name, e.from]));
  environments.forEach((environment, index) => {
    const seen = new Set<string>([environment.name]);
    for (
      let upstream = environment.from;
      upstream;
      upstream = fromOf.get(upstream) ?? null
    ) {
      if (seen.has(upstream)) {
        throw new Error(
          `${key}.environments[${index}].from makes a cycle: ${[
            ...seen,
            upstream,
          ].join(' -> ')}`,
        );
      }
      seen.add(upstream);
    }
  });
}

function readEnvironment(
  config: Config,
  key: string,
  executorNames: ReadonlySet<string>,
): EnvironmentDefinition {
  const name = config.getString('name');
  if (!NAME_PATTERN.test(name)) {
    throw new Error(
      `${key}.name '${name}' must be letters, digits, '.', '_' or '-'`,
    );
  }
  const executor = config.getString('executor');
  if (!executorNames.has(executor)) {
    const known = [...executorNames].join(', ') || 'none configured';
    throw new Error(
      `${key}.executor names '${executor}', which is not under immutableReleases.executors (${known})`,
    );
  }
  const durationOptions = (field: string) => ({
    key: field,
    configKey: key,
    defaultValue: { milliseconds: 0 },
  });
  const soakTimeMs = config.has('soakTime')
    ? readPositiveDurationMs(config, durationOptions('soakTime'))
    : 0;

  let approvals: EnvironmentDefinition['approvals'] = null;
  if (config.has('approvals')) {
    const required = config.getNumber('approvals.required');
    if (!Number.isInteger(required) || required < 1) {
      throw new Error(
        `${key}.approvals.required must be a whole number of at least 1`,
      );
    }
    const notify = config.getOptionalStringArray('approvals.notify');
    approvals = {
      required,
      allowSelfApproval:
        config.getOptionalBoolean('approvals.allowSelfApproval') ?? false,
      ...(notify
        ? { notify: readApproversToNotify(notify, `${key}.approvals.notify`) }
        : {}),
    };
  }

  const freezeWindows = (
    config.getOptionalConfigArray('freezeWindows') ?? []
  ).map((windowConfig, index) =>
    readFreezeWindow(windowConfig, `${key}.freezeWindows[${index}]`),
  );

  let verification: HttpVerification | null = null;
  if (config.has('verification')) {
    const url = config.getString('verification.http.url');
    try {
      validateUrlTemplate(url);
    } catch (error) {
      throw new Error(
        `${key}.verification.http.url: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (!URL.canParse(url.replace(/\{\{.*?\}\}/g, 'placeholder'))) {
      throw new Error(`${key}.verification.http.url is not a URL: '${url}'`);
    }
    verification = {
      url,
      expectStatus:
        config.getOptionalNumber('verification.http.expectStatus') ?? 200,
      bodyContains: config.getOptionalString('verification.http.bodyContains'),
      timeoutMs: readPositiveDurationMs(config, {
        key: 'verification.timeout',
        configKey: key,
        defaultValue: { minutes: 2 },
      }),
      intervalMs: readPositiveDurationMs(config, {
        key: 'verification.interval',
        configKey: key,
        defaultValue: { seconds: 5 },
      }),
    };
  }

  const signature = readSignaturePolicy(config, key);
  const provenance = readProvenancePolicy(config, key, signature);

  return {
    name,
    from: config.getOptionalString('from') ?? null,
    executor,
    autoPromote: config.getOptionalBoolean('autoPromote') ?? false,
    soakTimeMs,
    requiredChecks: config.getOptionalStringArray('requiredChecks') ?? [],
    approvals,
    freezeWindows,
    verification,
    autoRollback: config.getOptionalBoolean('autoRollback') ?? false,
    signature,
    provenance,
  };
}

/** Full user and group refs; anything else stops start-up naming the entry. */
function readApproversToNotify(refs: string[], key: string): string[] {
  if (refs.length === 0) {
    throw new Error(
      `${key} must name at least one user or group; leave it out to notify the entity's owner`,
    );
  }
  return refs.map((ref, index) => {
    let parsed;
    try {
      parsed = parseEntityRef(ref);
    } catch (error) {
      throw new Error(
        `${key}[${index}] '${ref}' is not an entity ref with a kind, e.g. user:default/alice or group:default/release-managers`,
        { cause: error },
      );
    }
    const kind = parsed.kind.toLocaleLowerCase('en-US');
    if (kind !== 'user' && kind !== 'group') {
      throw new Error(
        `${key}[${index}] '${ref}' is a ${kind}; only users and groups can be notified`,
      );
    }
    return stringifyEntityRef(parsed);
  });
}

function readFreezeWindow(config: Config, key: string): FreezeWindow {
  const cron = config.getString('cron');
  const timeZone = config.getOptionalString('timeZone') ?? 'UTC';
  try {
    CronExpressionParser.parse(cron, { tz: timeZone });
  } catch (error) {
    throw new Error(
      `${key}.cron '${cron}' is not a cron expression (or ${key}.timeZone '${timeZone}' is unknown)`,
      { cause: error },
    );
  }
  if (!config.has('duration')) {
    throw new Error(`${key}.duration is required, e.g. { hours: 62 }`);
  }
  return {
    cron,
    timeZone,
    durationMs: readPositiveDurationMs(config, {
      key: 'duration',
      configKey: key,
      defaultValue: { hours: 1 },
    }),
    reason: config.getOptionalString('reason') ?? 'freeze window',
  };
}
