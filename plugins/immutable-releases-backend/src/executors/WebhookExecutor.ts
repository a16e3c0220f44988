import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Config } from '@backstage/config';
import { isError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  CALLBACK_TOKEN_HEADER,
  DeploymentContext,
  DeploymentExecutor,
  DeploymentOutcome,
  describeDuration,
  readPositiveDurationMs,
} from 'backstage-plugin-immutable-releases-node';
import { defaultExecutorConfigKey } from './executorConfig';

const DEFAULT_REQUEST_TIMEOUT = { seconds: 30 };
const DEFAULT_RETRIES = 3;
const DEFAULT_BACKOFF_MS = 500;
/** How much of an error response's body is kept on the deployment. */
const MAX_RESPONSE_OUTPUT_CHARACTERS = 4 * 1024;
const ABORTED_MESSAGE = 'deployment aborted';
export const SIGNATURE_HEADER = 'x-immutable-releases-signature';
export const DEPLOYMENT_ID_HEADER = 'x-immutable-releases-deployment-id';

interface WebhookSettings {
  url: string;
  secret: string;
  isAsync: boolean;
  requestTimeoutMs: number;
  retries: number;
  backoffMs: number;
}

type AttemptResult =
  | { kind: 'answered'; outcome: DeploymentOutcome }
  | { kind: 'aborted' }
  | { kind: 'failed'; isRetryable: boolean; message: string; output?: string };

/**
 * POSTs each deployment as JSON, signed with HMAC-SHA256 of the body, to a
 * configured URL. Network errors and 5xx answers are retried with
 * exponential backoff; 4xx answers are not.
 */
export class WebhookExecutor implements DeploymentExecutor {
  static create(options: {
    name: string;
    config: Config;
    /** Where the definition lives in app-config, for error messages. */
    configKey?: string;
    /** The first retry's delay; each further retry waits twice as long. */
    backoffMs?: number;
  }): WebhookExecutor {
    const { config } = options;
    const configKey =
      options.configKey ?? defaultExecutorConfigKey(options.name);
    return new WebhookExecutor({
      url: readUrl(config, configKey),
      secret: readSecret(config, configKey),
      isAsync: readAsync(config, configKey),
      requestTimeoutMs: readPositiveDurationMs(config, {
        key: 'timeout',
        configKey,
        defaultValue: DEFAULT_REQUEST_TIMEOUT,
      }),
      retries: readRetries(config, configKey),
      backoffMs: options.backoffMs ?? DEFAULT_BACKOFF_MS,
    });
  }

  private constructor(private readonly settings: WebhookSettings) {}

  async deploy(context: DeploymentContext): Promise<DeploymentOutcome> {
    const { payload, signal } = context;
    const { secret, retries, backoffMs, isAsync } = this.settings;
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: `sha256=${createHmac('sha256', secret)
        .update(body, 'utf8')
        .digest('hex')}`,
      [DEPLOYMENT_ID_HEADER]: payload.deploymentId,
    };
    if (isAsync) {
      // The CD system sends it back with its completion callback.
      headers[CALLBACK_TOKEN_HEADER] = context.callbackToken;
    }

    const attempts = retries + 1;
    for (let attempt = 1; ; attempt++) {
      const result = await this.send(body, headers, signal);
      if (result.kind === 'answered') {
        return result.outcome;
      }
      if (result.kind === 'aborted') {
        return { status: 'failed', message: ABORTED_MESSAGE };
      }
      if (!result.isRetryable || attempt === attempts) {
        const tries = attempt > 1 ? ` (after ${attempt} attempts)` : '';
        return {
          status: 'failed',
          message: `${result.message}${tries}`,
          output: result.output,
        };
      }
      try {
        await sleep(backoffMs * 2 ** (attempt - 1), undefined, { signal });
      } catch {
        return { status: 'failed', message: ABORTED_MESSAGE };
      }
    }
  }

  private async send(
    body: string,
    headers: Record<string, string>,
    deploymentSignal: AbortSignal,
  ): Promise<AttemptResult> {
    const { url, requestTimeoutMs, isAsync } = this.settings;
    let response: Response;
    let responseText: string;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([
          deploymentSignal,
          AbortSignal.timeout(requestTimeoutMs),
        ]),
      });
      responseText = await response.text();
    } catch (error) {
      if (deploymentSignal.aborted) {
        return { kind: 'aborted' };
      }
      return {
        kind: 'failed',
        isRetryable: true,
        message: describeRequestError(error, requestTimeoutMs),
      };
    }

    if (!response.ok) {
      return {
        kind: 'failed',
        isRetryable: response.status >= 500,
        message: `webhook answered HTTP ${response.status}${
          response.statusText ? ` ${response.statusText}` : ''
        }`,
        output:
          responseText.slice(0, MAX_RESPONSE_OUTPUT_CHARACTERS) || undefined,
      };
    }
    return {
      kind: 'answered',
      outcome: outcomeOfAnswer(responseText, isAsync),
    };
  }
}

/**
 * A synchronous webhook may answer `{status: 'failed', message, url}`;
 * any other 2xx answer means the deployment succeeded.
 */
function outcomeOfAnswer(text: string, isAsync: boolean): DeploymentOutcome {
  const answer = parseJsonObject(text);
  const url = typeof answer?.url === 'string' ? answer.url : undefined;
  const message =
    typeof answer?.message === 'string' ? answer.message : undefined;
  if (isAsync) {
    return {
      status: 'running',
      message: 'waiting for completion callback',
      url,
    };
  }
  if (answer?.status === 'failed') {
    return {
      status: 'failed',
      message: message ?? 'webhook reported that the deployment failed',
      url,
    };
  }
  return { status: 'succeeded', message, url };
}

function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : undefined;
  } catch {
    return undefined;
  }
}

function describeRequestError(error: unknown, timeoutMs: number): string {
  // Checked by shape, not instanceof: fetch's errors may come from another realm.
  if (!isError(error)) {
    return `webhook request failed: ${String(error)}`;
  }
  if (error.name === 'TimeoutError') {
    return `webhook request timed out after ${describeDuration(timeoutMs)}`;
  }
  // fetch reports every network failure as "fetch failed"; the reason is the cause.
  const reason = isError(error.cause) ? error.cause.message : error.message;
  return `webhook request failed: ${reason}`;
}

function readUrl(config: Config, configKey: string): string {
  const value = config.getOptional('url');
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`${configKey}.url must be an http or https URL`);
  }
  return url.toString();
}

function readSecret(config: Config, configKey: string): string {
  const value = config.getOptional('secret');
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${configKey}.secret must be a non-empty string`);
  }
  return value;
}

function readAsync(config: Config, configKey: string): boolean {
  try {
    return config.getOptionalBoolean('async') ?? false;
  } catch (error) {
    throw new Error(`${configKey}.async must be true or false`, {
      cause: error,
    });
  }
}

function readRetries(config: Config, configKey: string): number {
  let retries: number | undefined;
  try {
    retries = config.getOptionalNumber('retries');
  } catch (error) {
    throw new Error(
      `${configKey}.retries must be a whole number of 0 or more`,
      {
        cause: error,
      },
    );
  }
  if (retries === undefined) {
    return DEFAULT_RETRIES;
  }
  if (!Number.isInteger(retries) || retries < 0) {
    throw new Error(`${configKey}.retries must be a whole number of 0 or more`);
  }
  return retries;
}
