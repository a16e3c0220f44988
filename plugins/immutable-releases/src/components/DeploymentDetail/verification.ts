import { DeploymentTransition } from 'backstage-plugin-immutable-releases-common';

/** What the backend appends to the executor's message when verification starts. */
const VERIFYING = '; verifying ';

/** A deployment's verification as its transitions tell it. */
export interface VerificationStory {
  /** What was checked, e.g. `GET https://shop.example.com/health`. */
  target: string;
  startedAt: string;
  /** Missing while it still runs. */
  outcome?: { passed: boolean; message: string; at: string };
}

/**
 * The verification of a deployment, read from its transitions: the move to `verifying` names
 * what is checked, the next transition says how it ended. Undefined when it never verified.
 */
export function verificationOf(
  transitions: DeploymentTransition[],
): VerificationStory | undefined {
  const start = transitions.findIndex(t => t.status === 'verifying');
  if (start < 0) {
    return undefined;
  }
  const { message, at } = transitions[start];
  const cut = message.lastIndexOf(VERIFYING);
  const target =
    cut < 0 ? 'the environment' : message.slice(cut + VERIFYING.length);
  const end = transitions[start + 1];
  return {
    target,
    startedAt: at,
    ...(end && {
      outcome: {
        passed: end.status === 'succeeded',
        message: end.message,
        at: end.at,
      },
    }),
  };
}
