import { HttpVerification } from './pipelineConfig';
import { redactUrl } from './urlTemplate';

export interface VerificationResult {
  passed: boolean;
  message: string;
}

/**
 * Probes a deployed environment over HTTP until it answers as expected or the
 * verification times out.
 */
export class HttpVerifier {
  constructor(private readonly verification: HttpVerification) {}

  async verify(signal: AbortSignal): Promise<VerificationResult> {
    const { url, expectStatus, bodyContains, timeoutMs, intervalMs } =
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
          message: `GET ${redactUrl(url)} answered ${expectStatus}${
            bodyContains ? ` containing '${bodyContains}'` : ''
          }`,
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
        return `GET ${redactUrl(url)} answered ${
          response.status
        }, expected ${expectStatus}`;
      }
      if (bodyContains && !body.includes(bodyContains)) {
        return `GET ${redactUrl(
          url,
        )} answered without '${bodyContains}' in its body`;
      }
      return '';
    } catch (error) {
      const cause = (error as Error).cause as Error | undefined;
      return `GET ${redactUrl(url)} failed: ${(error as Error).message}${
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
