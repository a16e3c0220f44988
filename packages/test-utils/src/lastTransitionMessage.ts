import type { Deployment } from 'backstage-plugin-immutable-releases-common';

/** The message of the deployment's latest status change: why it ended, once it has. */
export function lastTransitionMessage(deployment: Deployment): string {
  return deployment.transitions[deployment.transitions.length - 1].message;
}
