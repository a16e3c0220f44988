import { Entity } from '@backstage/catalog-model';
import { isValidDigest } from 'backstage-plugin-immutable-releases-common';
import {
  describeDuration,
  ObservationSource,
  ObservationTarget,
  PolledObservationContext,
  redactUrl,
  renderUrlTemplate,
} from 'backstage-plugin-immutable-releases-node';
import { HttpProbeDefinition } from './driftConfig';
import { readJsonPath } from './jsonPath';

/** How long one probe run may take in all, whatever the number of targets. */
const RUN_TIMEOUT = { minutes: 10 };

/**
 * The built-in observation source: for every entity environment it covers,
 * GET the probe's URL and read the running digest from the JSON answer
 * (`digestPath`) or a header (`digestHeader`). At most `concurrency` requests
 * run at once; each is cut off after the probe's `timeout`. A failure is kept
 * as the environment's observation error, never thrown.
 */
export class HttpProbeSource {
  static create(
    definition: HttpProbeDefinition,
    options: { concurrency: number },
  ): ObservationSource {
    const probe = new HttpProbeSource(definition, options.concurrency);
    return {
      id: definition.id,
      poll: {
        schedule: {
          frequency: { milliseconds: definition.frequencyMs },
          timeout: RUN_TIMEOUT,
        },
        environments: [definition.environment],
        ...(definition.pipeline ? { pipeline: definition.pipeline } : {}),
        observe: context => probe.observe(context),
      },
    };
  }

  private constructor(
    private readonly definition: HttpProbeDefinition,
    private readonly concurrency: number,
  ) {}

  async observe(context: PolledObservationContext): Promise<void> {
    const queue = [...context.targets];
    const worker = async () => {
      for (
        let target = queue.shift();
        target && !context.signal.aborted;
        target = queue.shift()
      ) {
        await this.observeOne(target, context);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(this.concurrency, queue.length) }, worker),
    );
  }

  private async observeOne(
    target: ObservationTarget,
    { sink, signal, logger }: PolledObservationContext,
  ): Promise<void> {
    const key = {
      entityRef: target.entityRef,
      environment: target.environment,
    };
    let digest: string;
    try {
      digest = await this.readDigest(target, signal);
    } catch (error) {
      await sink.reportError({ ...key, message: (error as Error).message });
      return;
    }
    try {
      await sink.report([{ ...key, digest }]);
    } catch (error) {
      logger.warn(
        `${this.definition.id} could not record ${digest} for ${target.environment} of ${target.entityRef}`,
        error as Error,
      );
      await sink.reportError({
        ...key,
        message: `observed ${digest} but could not record it: ${
          (error as Error).message
        }`,
      });
    }
  }

  /** The digest the target answers, or an Error whose message says what went wrong. */
  async readDigest(
    target: ObservationTarget,
    runSignal: AbortSignal,
  ): Promise<string> {
    const { digestPath, digestHeader, timeoutMs } = this.definition;
    const url = renderUrlTemplate(this.definition.url, {
      entity: target.entity as unknown as Entity,
      environment: target.environment,
    });
    // What messages show of the request: the URL without credentials or query.
    const shown = `GET ${redactUrl(url)}`;
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let body: string;
    try {
      // A redirect could point the probe at any service the backend reaches.
      response = await fetch(url, {
        headers: { accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.any([runSignal, timeout]),
      });
      body = await response.text();
    } catch (error) {
      if (timeout.aborted) {
        throw new Error(
          `${shown} timed out after ${describeDuration(timeoutMs)}`,
        );
      }
      const cause = (error as Error & { cause?: Error & { code?: string } })
        .cause;
      throw new Error(
        `${shown} failed: ${
          cause?.code ?? cause?.message ?? (error as Error).message
        }`,
      );
    }
    if (response.status >= 300 && response.status < 400) {
      throw new Error(
        `${shown} answered ${response.status} (redirects are not followed)`,
      );
    }
    if (!response.ok) {
      throw new Error(`${shown} answered ${response.status}`);
    }

    let found: unknown;
    let where: string;
    if (digestHeader) {
      found = response.headers.get(digestHeader) ?? undefined;
      where = `header ${digestHeader}`;
    } else {
      where = digestPath!.text;
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        throw new Error(`${shown} did not answer JSON`);
      }
      found = readJsonPath(json, digestPath!.steps);
    }
    if (typeof found !== 'string') {
      throw new Error(`${shown} answered no ${where}`);
    }
    // Every reader of the drift status sees this message: it names what was
    // wrong, never what the answer said.
    if (!isValidDigest(found)) {
      throw new Error(
        `${shown} answered a ${where} that is not a sha256 or sha512 digest`,
      );
    }
    return found;
  }
}
