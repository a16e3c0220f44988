import { GateRule, PromotionGateSnapshot, gate } from './GateSnapshot';

/** Every check the environment requires has passed in its latest result. */
export const requiredChecks: GateRule<PromotionGateSnapshot> = ({
  environment,
  checks,
}) => {
  if (environment.requiredChecks.length === 0) {
    return gate(
      'required-checks',
      true,
      `${environment.name} requires no checks`,
    );
  }
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
};
