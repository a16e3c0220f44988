import { GateRule, PromotionGateSnapshot, gate } from './GateSnapshot';

/**
 * An environment that requires approvals fails this gate at request time:
 * the deployment then waits for them instead of being refused.
 */
export const approvals: GateRule<PromotionGateSnapshot> = ({ environment }) => {
  if (!environment.approvals) {
    return gate('approvals', true, `${environment.name} requires no approvals`);
  }
  const { required } = environment.approvals;
  return gate(
    'approvals',
    false,
    `waits for ${required} approval${required === 1 ? '' : 's'}`,
  );
};
