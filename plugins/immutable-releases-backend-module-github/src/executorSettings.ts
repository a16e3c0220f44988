import { Config } from '@backstage/config';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { validateTemplate } from './templates';
import {
  assertKnownKeys,
  readNonEmptyString,
  readPositiveDurationMs,
} from 'backstage-plugin-immutable-releases-node';

const KNOWN_KEYS = [
  'type',
  'repository',
  'workflow',
  'ref',
  'inputs',
  'host',
  'timeout',
  'pollInterval',
  // Read by the backend plugin for every executor.
  'callbackTimeout',
];

/** A workflow file name in `.github/workflows`, or the workflow's numeric id. */
const WORKFLOW = /^(?:\d+|[\w.-]+\.ya?ml)$/;

/** One `type: github-actions` executor, as configured. */
export interface GithubActionsExecutorSettings {
  /** The GitHub host, e.g. `github.com` or a GitHub Enterprise Server. */
  host: string;
  /** The REST API of the host, from `integrations.github`. */
  apiBaseUrl: string;
  /** A template of `owner/name`. */
  repository: string;
  /** A file name such as `deploy.yml`, or a numeric id. */
  workflow: string;
  /** A template of the branch or tag the workflow runs on. */
  ref: string;
  /** Templates of the workflow's inputs, by input name. */
  inputs: Record<string, string>;
  /** How long the run may take, from the dispatch. */
  timeoutMs: number;
  /** How often the runs are read. */
  pollIntervalMs: number;
}

/** Reads and checks an executor definition; a mistake throws naming the key. */
export function readExecutorSettings(
  integrations: ScmIntegrationRegistry,
  config: Config,
  configKey: string,
): GithubActionsExecutorSettings {
  assertKnownKeys(config, KNOWN_KEYS, configKey, 'the github-actions executor');
  const host = config.has('host')
    ? readNonEmptyString(config, 'host', configKey)
    : 'github.com';
  const workflowValue = config.getOptional('workflow');
  const workflow =
    typeof workflowValue === 'number'
      ? String(workflowValue)
      : readNonEmptyString(config, 'workflow', configKey);
  if (!WORKFLOW.test(workflow)) {
    throw new Error(
      `${configKey}.workflow must be a workflow file name such as deploy.yml, or a workflow id, got ${JSON.stringify(
        workflow,
      )}`,
    );
  }
  return {
    host,
    apiBaseUrl: readApiBaseUrl(integrations, host, `${configKey}.host`),
    repository: readTemplate(config, 'repository', configKey),
    workflow,
    ref: config.has('ref') ? readTemplate(config, 'ref', configKey) : 'main',
    inputs: readInputs(config, configKey),
    timeoutMs: readPositiveDurationMs(config, {
      key: 'timeout',
      configKey,
      defaultValue: { minutes: 30 },
    }),
    pollIntervalMs: readPositiveDurationMs(config, {
      key: 'pollInterval',
      configKey,
      defaultValue: { seconds: 10 },
    }),
  };
}

/**
 * The API base URL of the `integrations.github` entry for `host`, which must
 * also hold a token or a GitHub App: without, every dispatch would fail.
 */
function readApiBaseUrl(
  integrations: ScmIntegrationRegistry,
  host: string,
  configKey: string,
): string {
  const integration = integrations.github.byHost(host);
  const example = `integrations.github: [{ host: ${host}${
    host === 'github.com' ? '' : ', apiBaseUrl: https://<host>/api/v3'
  }, token: \${GITHUB_TOKEN} }] (or apps: [...] for a GitHub App)`;
  if (
    !integration ||
    (!integration.config.token && !integration.config.apps?.length)
  ) {
    throw new Error(
      `${configKey}: there are no GitHub credentials for ${host}; configure ${example}`,
    );
  }
  if (!integration.config.apiBaseUrl) {
    throw new Error(
      `${configKey}: the integrations.github entry for ${host} has no apiBaseUrl; configure ${example}`,
    );
  }
  return integration.config.apiBaseUrl;
}

function readInputs(config: Config, configKey: string): Record<string, string> {
  if (!config.has('inputs')) {
    return {};
  }
  const inputs = config.getOptional('inputs');
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    throw new Error(
      `${configKey}.inputs must map input names to templates, e.g. { image: '{{ deployment.artifactRef }}' }`,
    );
  }
  const inputsConfig = config.getConfig('inputs');
  return Object.fromEntries(
    inputsConfig.keys().map(name => {
      const value = inputsConfig.getOptional(name);
      // A boolean or number input is sent as text, as GitHub's own form does.
      if (typeof value === 'boolean' || typeof value === 'number') {
        return [name, String(value)];
      }
      if (typeof value !== 'string') {
        throw new Error(
          `${configKey}.inputs.${name} must be a string (a template), a number or a boolean`,
        );
      }
      return [name, checkTemplate(value, `${configKey}.inputs.${name}`)];
    }),
  );
}

function readTemplate(config: Config, key: string, configKey: string): string {
  return checkTemplate(
    readNonEmptyString(config, key, configKey),
    `${configKey}.${key}`,
  );
}

function checkTemplate(template: string, configKey: string): string {
  try {
    validateTemplate(template);
  } catch (error) {
    throw new Error(`${configKey}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return template;
}
