import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AuthorizedOperations } from '../api/AuthorizedOperations';
import { spec } from '../schema/openapi.generated';
import { requestString, responseSchema } from './openApiSchemas';

/** `immutable-releases:get-deployment`: one deployment, as `GET /v1/deployments/{id}` answers. */
export function registerGetDeploymentAction(
  actionsRegistry: ActionsRegistryService,
  operations: AuthorizedOperations,
) {
  actionsRegistry.register({
    name: 'get-deployment',
    title: 'Get a deployment',
    description: [
      'Reads one deployment, a promotion or a rollback of a release into an environment, by its id:',
      'its status (pending, running, verifying, succeeded, failed, rejected, cancelled or superseded; the last five are final),',
      'every status change with its time, actor and message, how each gate decided, the approvals given, and what the executor reported.',
      'Use it to follow a deployment that immutable-releases:request-promotion or immutable-releases:request-rollback started;',
      'a pending deployment may be waiting for approvals, which only people give, in Backstage.',
      'Needs the immutable-releases.release.read permission.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            deploymentId: requestString(
              z,
              spec.components.parameters.deploymentId.schema,
            ).describe('The id of the deployment'),
          })
          .strict(),
      output: z => responseSchema(z, 'Deployment'),
    },
    action: async ({ input, credentials }) => ({
      output: await operations.getDeployment(credentials, input.deploymentId),
    }),
  });
}
