import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AuthorizedOperations } from '../api/AuthorizedOperations';
import { spec } from '../schema/openapi.generated';
import {
  entityRefInput,
  environmentInput,
  releaseIdInput,
} from './inputFields';
import { requestString, responseSchema } from './openApiSchemas';

/** `immutable-releases:request-rollback`: `POST /v1/rollbacks`. */
export function registerRequestRollbackAction(
  actionsRegistry: ActionsRegistryService,
  operations: AuthorizedOperations,
) {
  actionsRegistry.register({
    name: 'request-rollback',
    title: 'Roll an environment back',
    description: [
      'Rolls an environment of a catalog entity back to a release that already ran there, on behalf of the caller, with a required reason.',
      'Without releaseId the target is the known-good release: the newest that succeeded in the environment before the current one,',
      'is not revoked and was never rolled back from there; when there is none, the call fails with a ConflictError saying why.',
      'Rollbacks skip the upstream, soak-time and required-checks gates and are allowed in freeze windows, but never to a revoked release.',
      'Afterwards the environment is held: automatic promotions into it stop until a person releases the hold or promotes by hand.',
      'Answers the deployment; follow it with immutable-releases:get-deployment.',
      'Needs the immutable-releases.rollback.create permission on the entity.',
    ].join(' '),
    // It replaces what runs in an environment; a second call rolls back further.
    attributes: { destructive: true, idempotent: false, readOnly: false },
    examples: [
      {
        title: 'Roll production of checkout back to its known-good release',
        input: {
          entityRef: 'component:default/checkout',
          environment: 'production',
          reason: 'error rate doubled after 1.4.0',
        },
      },
    ],
    schema: {
      input: z =>
        z
          .object({
            entityRef: entityRefInput(z),
            environment: environmentInput(z, 'The environment to roll back'),
            reason: requestString(
              z,
              spec.components.schemas.RollbackRequest.properties.reason,
            ).describe(
              'Why; required, recorded on the deployment, the hold and the audit trail',
            ),
            releaseId: releaseIdInput(z)
              .optional()
              .describe(
                'The release to go back to; by default the known-good release of the environment',
              ),
          })
          .strict(),
      output: z => responseSchema(z, 'Deployment'),
    },
    action: async ({ input, credentials }) => ({
      output: await operations.requestRollback(credentials, input),
    }),
  });
}
