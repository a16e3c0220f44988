import {
  approversOf,
  Deployment,
} from 'backstage-plugin-immutable-releases-common';

/** How the approvals gate of a waiting deployment words its requirement. */
const REQUIRED_APPROVALS = /waits for (\d+) approvals?/;

/** How many approvals the deployment's environment requires, as its approvals gate says. */
export function requiredApprovals(
  deployment: Pick<Deployment, 'gates'>,
): number | undefined {
  const gate = deployment.gates.find(({ name }) => name === 'approvals');
  const match = gate?.message.match(REQUIRED_APPROVALS);
  return match ? Number(match[1]) : undefined;
}

/** "1 of 2 approvals: user:default/bob", or the count so far when the requirement is unknown. */
export function describeApprovals(
  deployment: Pick<Deployment, 'gates' | 'approvals'>,
): string {
  const approvers = approversOf(deployment);
  const required = requiredApprovals(deployment);
  let count: string;
  if (required !== undefined) {
    count = `${approvers.length} of ${required} approval${
      required === 1 ? '' : 's'
    }`;
  } else if (approvers.length === 0) {
    count = 'No approvals yet';
  } else {
    count = `${approvers.length} approval${
      approvers.length === 1 ? '' : 's'
    } so far`;
  }
  return approvers.length ? `${count}: ${approvers.join(', ')}` : count;
}
