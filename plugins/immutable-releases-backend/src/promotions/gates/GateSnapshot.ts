import {
  DeploymentStatus,
  GateResult,
  Release,
  ReleaseCheck,
  ReleaseRevocation,
} from 'backstage-plugin-immutable-releases-common';
import { AttestationVerdict } from '../../attestations/AttestationVerdict';
import { EnvironmentDefinition } from '../../pipelines/pipelineConfig';

/** What a rollback's gates decide on. */
export interface RollbackGateSnapshot {
  release: Release;
  /** Why the release was revoked, or null when it was not. */
  revocation: ReleaseRevocation | null;
}

/** What a promotion's gates decide on, loaded before any gate runs. */
export interface PromotionGateSnapshot extends RollbackGateSnapshot {
  environment: EnvironmentDefinition;
  /** The environment the release comes from, or null for a first environment. */
  upstream: UpstreamHistory | null;
  /** The latest result of each check recorded on the release. */
  checks: ReleaseCheck[];
  /**
   * The release's attestations checked against the environment's signature
   * keys; empty when the environment has no `signature` gate.
   */
  attestations: AttestationVerdict[];
  /** The freeze-window override the request asks for, or null. */
  override: { reason: string; permitted: boolean } | null;
  now: Date;
}

export interface UpstreamHistory {
  environment: string;
  /** Whether a deployment of the release ever succeeded there. */
  releaseSucceeded: boolean;
  /** The latest deployment that started there, of any release. */
  latestStarted: { version: string; status: DeploymentStatus } | null;
  /**
   * The latest successful deployments there, newest first: each release
   * became current at `at` and stayed so until the next newer one.
   */
  successes: Array<{ releaseId: string; at: string }>;
}

/**
 * A gate: a pure decision over a snapshot. It reads nothing else, so it is
 * tested without a database, and registered by one line in `./index.ts`.
 */
export type GateRule<Snapshot> = (snapshot: Snapshot) => GateResult;

export function gate(
  name: GateResult['name'],
  passed: boolean,
  message: string,
): GateResult {
  return { name, passed, message };
}
