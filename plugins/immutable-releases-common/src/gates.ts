import { GateName, GateResult } from './types';

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
