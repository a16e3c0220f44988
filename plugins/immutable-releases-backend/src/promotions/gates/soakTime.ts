import { describeDuration } from 'backstage-plugin-immutable-releases-node';
import { GateRule, PromotionGateSnapshot, gate } from './GateSnapshot';

/**
 * A release must have been the current release upstream for the
 * environment's soak time, and the latest deployment upstream must not have
 * failed. While the soak time still runs, the result says when it passes, so
 * an automatic promotion can be retried then.
 */
export const soakTime: GateRule<PromotionGateSnapshot> = ({
  release,
  environment,
  upstream,
  now,
}) => {
  if (!upstream || environment.soakTimeMs === 0) {
    return gate('soak-time', true, `${environment.name} requires no soak time`);
  }
  const from = upstream.environment;
  const required = describeDuration(environment.soakTimeMs);
  if (upstream.latestStarted?.status === 'failed') {
    return gate(
      'soak-time',
      false,
      `the latest deployment in ${from} (release ${upstream.latestStarted.version}) failed`,
    );
  }
  const index = upstream.successes.findIndex(s => s.releaseId === release.id);
  if (index === -1) {
    return gate(
      'soak-time',
      false,
      `release ${release.version} has not run in ${from}`,
    );
  }
  const currentSince = Date.parse(upstream.successes[index].at);
  const currentUntil =
    index === 0 ? now.getTime() : Date.parse(upstream.successes[index - 1].at);
  const soaked = describeDuration(currentUntil - currentSince);
  if (currentUntil - currentSince >= environment.soakTimeMs) {
    return gate(
      'soak-time',
      true,
      `release ${release.version} soaked in ${from} for ${soaked} (${required} required)`,
    );
  }
  if (index > 0) {
    return gate(
      'soak-time',
      false,
      `release ${release.version} was current in ${from} for only ${soaked} before it was replaced (${required} required)`,
    );
  }
  const passesAt = new Date(
    currentSince + environment.soakTimeMs,
  ).toISOString();
  return {
    ...gate(
      'soak-time',
      false,
      `release ${release.version} has soaked in ${from} for ${soaked} of ${required}; passes at ${passesAt}`,
    ),
    passesAt,
  };
};
