import {
  DriftStatus,
  EnvironmentDrift,
} from 'backstage-plugin-immutable-releases-common';
import { DriftState, ReleaseWithDigest } from '../database/ObservationStore';

/** What the drift status of one environment is decided from. */
export interface DriftInputs {
  /** The digest of the environment's current release, or null when it has none. */
  currentDigest: string | null;
  /** The environment's stored state: latest observation and last error. */
  state: DriftState | undefined;
  /** A release of this entity with the observed digest, when there is one. */
  observedRelease: ReleaseWithDigest | undefined;
}

/**
 * The one place where drift status is decided, from the latest observation of
 * an environment (see `docs/drift-and-metrics.md`):
 *
 * - `unknown`: no observation, or the latest is older than `staleAfter`;
 * - `in-sync`: the observed digest is the current release's;
 * - `drifted`: the observed digest is another release of this entity;
 * - `unmanaged`: the observed digest matches no release of this entity.
 */
export class DriftEvaluator {
  static create(options: {
    staleAfterMs: number;
    clock: () => Date;
  }): DriftEvaluator {
    return new DriftEvaluator(options.staleAfterMs, options.clock);
  }

  private constructor(
    readonly staleAfterMs: number,
    private readonly clock: () => Date,
  ) {}

  status(inputs: DriftInputs): DriftStatus {
    const { state, currentDigest, observedRelease } = inputs;
    if (!state?.observedDigest || !state.observedAt) {
      return 'unknown';
    }
    const age = this.clock().getTime() - Date.parse(state.observedAt);
    if (age > this.staleAfterMs) {
      return 'unknown';
    }
    if (state.observedDigest === currentDigest) {
      return 'in-sync';
    }
    return observedRelease ? 'drifted' : 'unmanaged';
  }

  /** The `drift` of an environment in the environments answer. */
  describe(inputs: DriftInputs): EnvironmentDrift {
    const { state, observedRelease } = inputs;
    const error =
      state?.error && (!state.observedAt || state.error.at >= state.observedAt)
        ? state.error
        : null;
    return {
      status: this.status(inputs),
      observedDigest: state?.observedDigest ?? null,
      observedAt: state?.observedAt ?? null,
      observedSource: state?.observedSource ?? null,
      ...(state?.observedDetails
        ? { observedDetails: state.observedDetails }
        : {}),
      observedRelease: observedRelease
        ? {
            id: observedRelease.id,
            version: observedRelease.version,
            revoked: observedRelease.revoked,
          }
        : null,
      error,
    };
  }
}
