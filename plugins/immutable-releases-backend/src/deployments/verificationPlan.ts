import { Entity } from '@backstage/catalog-model';
import { Deployment } from 'backstage-plugin-immutable-releases-common';
import {
  EnvironmentDefinition,
  HttpVerification,
} from '../pipelines/pipelineConfig';
import {
  redactUrl,
  renderUrlTemplate,
} from 'backstage-plugin-immutable-releases-node';

/** A verification ready to run, or why it cannot run (which fails the deployment). */
export type VerificationPlan = HttpVerification | { error: string };

/** The environment's verification with its URL filled in for the deployment's entity. */
export async function planVerification(
  deployment: Deployment,
  environment: EnvironmentDefinition,
  entityOf: (entityRef: string) => Promise<Entity>,
): Promise<VerificationPlan> {
  const verification = environment.verification!;
  try {
    const entity = await entityOf(deployment.entityRef);
    return {
      ...verification,
      url: renderUrlTemplate(verification.url, {
        entity,
        environment: environment.name,
      }),
    };
  } catch (error) {
    return {
      error: `verification could not start: ${(error as Error).message}`,
    };
  }
}

/** How the plan reads in a deployment's transition message. */
export function describeVerification(plan: VerificationPlan): string {
  return 'error' in plan ? 'impossible' : `GET ${redactUrl(plan.url)}`;
}
