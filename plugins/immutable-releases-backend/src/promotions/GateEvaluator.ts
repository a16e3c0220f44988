import { CronExpressionParser } from 'cron-parser';
import {
  GateName,
  GateResult,
  Release,
} from 'backstage-plugin-immutable-releases-common';
import { Stores } from '../database/ReleasesDatabase';
import { describeDuration } from '../executors/executorConfig';
import {
  EnvironmentDefinition,
  FreezeWindow,
} from '../pipelines/pipelineConfig';

function gate(name: GateName, passed: boolean, message: string): GateResult {
  return { name, passed, message };
}

export interface GateRequest {
  release: Release;
  environment: EnvironmentDefinition;
  entityRef: string;
  override?: { reason: string };
  mayOverrideFreeze: boolean;
}

/** Evaluates the gates of a promotion or a rollback; every gate is decided here and nowhere else. */
export class GateEvaluator {
  constructor(
    private readonly stores: Stores,
    private readonly clock: () => Date,
  ) {}

  async evaluatePromotion(request: GateRequest): Promise<GateResult[]> {
    return [
      ...(await Promise.all([
        this.notRevoked(request.release),
        this.upstream(request),
        this.soakTime(request),
        this.requiredChecks(request),
      ])),
      this.freezeWindow(request),
      this.approvals(request.environment),
    ];
  }

  /** Rollbacks redeploy what already ran in the environment: only revocation stops them. */
  async evaluateRollback(release: Release): Promise<GateResult[]> {
    return [await this.notRevoked(release)];
  }

  private async notRevoked(release: Release): Promise<GateResult> {
    const revocation = (
      await this.stores.releases.revocations([release.id])
    ).get(release.id);
    return revocation
      ? gate(
          'not-revoked',
          false,
          `release ${release.version} was revoked: ${revocation.reason}`,
        )
      : gate('not-revoked', true, `release ${release.version} is not revoked`);
  }

  private async upstream({
    release,
    environment,
  }: GateRequest): Promise<GateResult> {
    if (!environment.from) {
      return gate(
        'upstream',
        true,
        `${environment.name} has no upstream environment`,
      );
    }
    const succeeded = await this.stores.deployments.hasSucceeded(
      release.id,
      environment.from,
    );
    return succeeded
      ? gate(
          'upstream',
          true,
          `release ${release.version} succeeded in ${environment.from}`,
        )
      : gate(
          'upstream',
          false,
          `release ${release.version} has not succeeded in ${environment.from} yet`,
        );
  }

  private async soakTime({
    release,
    environment,
    entityRef,
  }: GateRequest): Promise<GateResult> {
    const upstream = environment.from;
    if (!upstream || environment.soakTimeMs === 0) {
      return gate(
        'soak-time',
        true,
        `${environment.name} requires no soak time`,
      );
    }
    const required = describeDuration(environment.soakTimeMs);
    const key = { entityRef, environment: upstream };
    const latest = await this.stores.deployments.getLatestStarted(key);
    if (latest?.status === 'failed') {
      return gate(
        'soak-time',
        false,
        `the latest deployment in ${upstream} (release ${latest.release.version}) failed`,
      );
    }
    const history = await this.stores.deployments.listSucceeded(key, 200);
    const index = history.findIndex(d => d.releaseId === release.id);
    if (index === -1) {
      return gate(
        'soak-time',
        false,
        `release ${release.version} has not run in ${upstream}`,
      );
    }
    const now = this.clock().getTime();
    const currentSince = Date.parse(history[index].updatedAt);
    const currentUntil =
      index === 0 ? now : Date.parse(history[index - 1].updatedAt);
    const soaked = currentUntil - currentSince;
    if (soaked >= environment.soakTimeMs) {
      return gate(
        'soak-time',
        true,
        `release ${
          release.version
        } soaked in ${upstream} for ${describeDuration(
          soaked,
        )} (${required} required)`,
      );
    }
    if (index > 0) {
      return gate(
        'soak-time',
        false,
        `release ${
          release.version
        } was current in ${upstream} for only ${describeDuration(
          soaked,
        )} before it was replaced (${required} required)`,
      );
    }
    const passesAt = new Date(
      currentSince + environment.soakTimeMs,
    ).toISOString();
    return {
      ...gate(
        'soak-time',
        false,
        `release ${
          release.version
        } has soaked in ${upstream} for ${describeDuration(
          soaked,
        )} of ${required}; passes at ${passesAt}`,
      ),
      passesAt,
    };
  }

  private async requiredChecks({
    release,
    environment,
  }: GateRequest): Promise<GateResult> {
    if (environment.requiredChecks.length === 0) {
      return gate(
        'required-checks',
        true,
        `${environment.name} requires no checks`,
      );
    }
    const checks =
      (await this.stores.releases.latestChecks([release.id])).get(release.id) ??
      [];
    const statusOf = new Map(checks.map(check => [check.name, check.status]));
    const problems = environment.requiredChecks
      .filter(name => statusOf.get(name) !== 'passed')
      .map(name => `${name} is ${statusOf.get(name) ?? 'missing'}`);
    return problems.length === 0
      ? gate(
          'required-checks',
          true,
          `required checks passed: ${environment.requiredChecks.join(', ')}`,
        )
      : gate(
          'required-checks',
          false,
          `required checks not passed: ${problems.join(', ')}`,
        );
  }

  private freezeWindow({
    environment,
    override,
    mayOverrideFreeze,
  }: GateRequest): GateResult {
    const now = this.clock();
    const active = environment.freezeWindows
      .map(window => ({ window, endsAt: activeWindowEnd(window, now) }))
      .find(({ endsAt }) => endsAt !== undefined);
    if (!active) {
      return gate(
        'freeze-window',
        true,
        `${environment.name} is not in a freeze window`,
      );
    }
    const frozen = `${
      environment.name
    } is frozen until ${active.endsAt!.toISOString()} (${
      active.window.reason
    })`;
    if (override && mayOverrideFreeze) {
      return gate(
        'freeze-window',
        true,
        `${frozen}; overridden: ${override.reason}`,
      );
    }
    if (override) {
      return gate(
        'freeze-window',
        false,
        `${frozen}; overriding needs the immutable-releases.freeze.override permission`,
      );
    }
    return gate(
      'freeze-window',
      false,
      `${frozen}; an override reason is needed`,
    );
  }

  private approvals(environment: EnvironmentDefinition): GateResult {
    if (!environment.approvals) {
      return gate(
        'approvals',
        true,
        `${environment.name} requires no approvals`,
      );
    }
    const { required } = environment.approvals;
    return gate(
      'approvals',
      false,
      `waits for ${required} approval${required === 1 ? '' : 's'}`,
    );
  }
}

/** When the window that covers `now` ends, or undefined when none does. */
export function activeWindowEnd(
  window: FreezeWindow,
  now: Date,
): Date | undefined {
  const latestStart = CronExpressionParser.parse(window.cron, {
    currentDate: new Date(now.getTime() + 1),
    tz: window.timeZone,
  })
    .prev()
    .getTime();
  const end = latestStart + window.durationMs;
  return end > now.getTime() ? new Date(end) : undefined;
}
