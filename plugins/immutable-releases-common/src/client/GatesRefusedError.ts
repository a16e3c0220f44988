import { isError, ResponseError } from '@backstage/errors';
import type { GateResult } from '../types';

/**
 * A promotion the backend refused because a hard gate failed: its 409 answer
 * carries the result of every gate at the top level of the error body.
 *
 * The message names each failing gate with its own message, e.g.
 * `refused by a gate: required-checks: required checks not passed: unit-tests`.
 *
 * @public
 */
export class GatesRefusedError extends Error {
  /**
   * Whether `value` is a `GatesRefusedError`, by its name and shape, so that it
   * works across copies of this package.
   */
  static is(value: unknown): value is GatesRefusedError {
    return (
      isError(value) &&
      value.name === 'GatesRefusedError' &&
      Array.isArray((value as { gates?: unknown }).gates)
    );
  }

  /**
   * The answer as a `ResponseError`, a 409, when its body has gates of which
   * at least one failed; otherwise undefined. The one place that reads the
   * gates out of an error body.
   */
  static fromResponseError(
    error: ResponseError,
  ): GatesRefusedError | undefined {
    if (error.statusCode !== 409) {
      return undefined;
    }
    const { gates } = error.body as { gates?: unknown };
    if (!Array.isArray(gates) || !gates.every(isGateResult)) {
      return undefined;
    }
    if (!gates.some(gate => !gate.passed)) {
      return undefined;
    }
    return new GatesRefusedError(gates, error);
  }

  readonly name = 'GatesRefusedError';
  /** Every gate of the promotion with its verdict, the passing ones too. */
  readonly gates: GateResult[];
  /** The error answer itself (also this error's `cause`): status 409, and the server's error as its `cause`. */
  readonly response: ResponseError;

  constructor(gates: GateResult[], response: ResponseError) {
    const failing = gates.filter(gate => !gate.passed);
    super(
      `refused by ${failing.length === 1 ? 'a gate' : 'gates'}: ${failing
        .map(gate => `${gate.name}: ${gate.message}`)
        .join('; ')}`,
      { cause: response },
    );
    this.gates = gates;
    this.response = response;
  }
}

function isGateResult(value: unknown): value is GateResult {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const { name, passed, message } = value as Record<string, unknown>;
  return (
    typeof name === 'string' &&
    typeof passed === 'boolean' &&
    typeof message === 'string'
  );
}
