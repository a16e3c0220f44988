import { HttpVerification } from '../pipelines/pipelineConfig';
import { redactUrl } from 'backstage-plugin-immutable-releases-node';

export interface VerificationResult {
  passed: boolean;
  message: string;
}

/**
 * Probes a deployed environment over HTTP until it answers as expected or the
 * verification times out.
 */
export class HttpVerifier {
  /** What messages show of the request: the URL without credentials or query. */
  private readonly shown: string;

  constructor(private readonly verification: HttpVerification) {
    this.shown = `GET ${redactUrl(verification.url)}`;
  }

  async verify(signal: AbortSignal): Promise<VerificationResult> {
    const { expectStatus, bodyContains, timeoutMs, intervalMs } =
      this.verification;
    const deadline = Date.now() + timeoutMs;
    let attempts = 0;
    let lastProblem = 'no probe was made';
    while (!signal.aborted) {
      attempts++;
      lastProblem = await this.probe(signal);
      if (!lastProblem) {
        return {
          passed: true,
          message: `${this.shown} answered ${expectStatus}${
            bodyContains ? ` containing '${bodyContains}'` : ''
          } at attempt ${attempts}`,
        };
      }
      if (Date.now() + intervalMs > deadline) {
        break;
      }
      await pause(intervalMs, signal);
    }
    return {
      passed: false,
      message: `verification failed after ${attempts} attempt${
        attempts === 1 ? '' : 's'
      }: ${lastProblem}`,
    };
  }

  /** An empty string when the answer is as expected, otherwise what was wrong. */
  private async probe(signal: AbortSignal): Promise<string> {
    const { url, expectStatus, bodyContains, intervalMs } = this.verification;
    try {
      const response = await fetch(url, {
        signal: AbortSignal.any([
          signal,
          AbortSignal.timeout(Math.max(intervalMs, 5_000)),
        ]),
        redirect: 'manual',
      });
      const body = await response.text();
      if (response.status !== expectStatus) {
        return `${this.shown} answered ${response.status}, expected ${expectStatus}`;
      }
      if (bodyContains && !body.includes(bodyContains)) {
        return `${this.shown} answered without '${bodyContains}' in its body`;
      }
      return '';
    } catch (error) {
      const cause = (error as Error).cause as Error | undefined;
      return `${this.shown} failed: ${(error as Error).message}${
        cause?.message ? ` (${cause.message})` : ''
      }`;
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
