import { DriftState } from '../database/ObservationStore';
import { DriftEvaluator } from './DriftEvaluator';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const CURRENT = `sha256:${'a'.repeat(64)}`;
const OTHER = `sha256:${'b'.repeat(64)}`;

function state(overrides: Partial<DriftState> = {}): DriftState {
  return {
    entityRef: 'component:default/checkout',
    environment: 'production',
    observedDigest: CURRENT,
    observedAt: '2026-03-01T11:59:00.000Z',
    observedSource: 'probe',
    observedDetails: null,
    status: 'unknown',
    statusChangedAt: null,
    error: null,
    ...overrides,
  };
}

describe('DriftEvaluator', () => {
  const evaluator = DriftEvaluator.create({
    staleAfterMs: 15 * 60_000,
    clock: () => NOW,
  });
  const otherRelease = {
    entityRef: 'component:default/checkout',
    digest: OTHER,
    id: 'r1',
    version: '1.0.0',
    revoked: true,
  };

  it.each([
    ['no observation', undefined, CURRENT, undefined, 'unknown'],
    [
      'an observation older than staleAfter',
      state({ observedAt: '2026-03-01T11:44:59.999Z' }),
      CURRENT,
      undefined,
      'unknown',
    ],
    ['the current digest', state(), CURRENT, undefined, 'in-sync'],
    [
      'another release of the entity',
      state({ observedDigest: OTHER }),
      CURRENT,
      otherRelease,
      'drifted',
    ],
    [
      'a digest of no release',
      state({ observedDigest: OTHER }),
      CURRENT,
      undefined,
      'unmanaged',
    ],
    [
      'a release while no release is current',
      state({ observedDigest: OTHER }),
      null,
      otherRelease,
      'drifted',
    ],
  ] as const)(
    '%s → %s',
    (_what, observed, currentDigest, release, expected) => {
      expect(
        evaluator.status({
          state: observed,
          currentDigest,
          observedRelease: release,
        }),
      ).toBe(expected);
    },
  );

  it('shows the last error only when it is newer than the latest observation', () => {
    const error = {
      message: 'GET answered 503',
      at: '2026-03-01T11:59:30.000Z',
      source: 'probe',
    };
    expect(
      evaluator.describe({
        state: state({ error }),
        currentDigest: CURRENT,
        observedRelease: undefined,
      }),
    ).toMatchObject({ status: 'in-sync', error });
    expect(
      evaluator.describe({
        state: state({ error, observedAt: '2026-03-01T11:59:45.000Z' }),
        currentDigest: CURRENT,
        observedRelease: undefined,
      }).error,
    ).toBeNull();
    expect(
      evaluator.describe({
        state: state({ observedDigest: OTHER }),
        currentDigest: CURRENT,
        observedRelease: otherRelease,
      }).observedRelease,
    ).toEqual({ id: 'r1', version: '1.0.0', revoked: true });
  });
});
