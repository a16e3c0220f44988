import { GateRule, PromotionGateSnapshot, gate } from './GateSnapshot';

/** A release enters an environment only after it succeeded in the one before. */
export const upstream: GateRule<PromotionGateSnapshot> = ({
  release,
  environment,
  upstream: history,
}) => {
  if (!history) {
    return gate(
      'upstream',
      true,
      `${environment.name} has no upstream environment`,
    );
  }
  return history.releaseSucceeded
    ? gate(
        'upstream',
        true,
        `release ${release.version} succeeded in ${history.environment}`,
      )
    : gate(
        'upstream',
        false,
        `release ${release.version} has not succeeded in ${history.environment} yet`,
      );
};
