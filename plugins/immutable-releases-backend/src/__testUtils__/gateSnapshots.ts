import { Release } from 'backstage-plugin-immutable-releases-common';
import { EnvironmentDefinition } from '../pipelines/pipelineConfig';
import { PromotionGateSnapshot } from '../promotions/gates';

export const NOW = new Date('2026-11-30T12:00:00.000Z');

export function testRelease(overrides: Partial<Release> = {}): Release {
  return {
    id: 'release-2',
    entityRef: 'component:default/checkout',
    version: '1.2.0',
    artifact: {
      type: 'oci-image',
      uri: 'registry.example.com/checkout',
      digest: `sha256:${'a'.repeat(64)}`,
    },
    source: {},
    build: {},
    labels: {},
    createdAt: '2026-11-30T08:00:00.000Z',
    createdBy: 'user:default/alice',
    ...overrides,
  };
}

export function testEnvironment(
  overrides: Partial<EnvironmentDefinition> = {},
): EnvironmentDefinition {
  return {
    name: 'production',
    from: 'staging',
    executor: 'deploy',
    autoPromote: false,
    soakTimeMs: 0,
    requiredChecks: [],
    approvals: null,
    freezeWindows: [],
    verification: null,
    autoRollback: false,
    signature: null,
    provenance: null,
    ...overrides,
  };
}

/** A promotion of release-2 from staging to production that every gate lets through. */
export function promotionSnapshot(
  overrides: Partial<PromotionGateSnapshot> = {},
): PromotionGateSnapshot {
  return {
    release: testRelease(),
    revocation: null,
    environment: testEnvironment(),
    upstream: {
      environment: 'staging',
      releaseSucceeded: true,
      latestStarted: { version: '1.2.0', status: 'succeeded' },
      successes: [{ releaseId: 'release-2', at: '2026-11-30T09:00:00.000Z' }],
    },
    checks: [],
    attestations: [],
    override: null,
    now: NOW,
    ...overrides,
  };
}
