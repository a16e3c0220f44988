import { Deployment, GateName, GateResult } from './types';

/** Gates whose failure makes a request wait instead of refusing it. */
const WAITING_GATES: ReadonlySet<GateName> = new Set(['approvals']);

/**
 * The failed gates that refuse a promotion or rollback outright. A failed
 * `approvals` gate is not one of them: the deployment waits for approvals.
 *
 * @public
 */
export function blockingGateFailures(gates: GateResult[]): GateResult[] {
  return gates.filter(gate => !gate.passed && !WAITING_GATES.has(gate.name));
}

/**
 * The failed gates that make a deployment wait (for approvals) rather than
 * refuse it: what a pending deployment still needs.
 *
 * @public
 */
export function waitingGateFailures(gates: GateResult[]): GateResult[] {
  return gates.filter(gate => !gate.passed && WAITING_GATES.has(gate.name));
}

/**
 * The distinct users who approved a deployment so far; it starts once there
 * are as many as its environment requires.
 *
 * @public
 */
export function approversOf(
  deployment: Pick<Deployment, 'approvals'>,
): string[] {
  return [
    ...new Set(
      deployment.approvals
        .filter(approval => approval.decision === 'approve')
        .map(approval => approval.approver),
    ),
  ];
}
