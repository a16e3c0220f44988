import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AuthorizedOperations } from '../api/AuthorizedOperations';
import { spec } from '../schema/openapi.generated';
import {
  entityRefInput,
  environmentInput,
  releaseIdInput,
  versionInput,
} from './inputFields';
import { requestString, responseSchema } from './openApiSchemas';

/**
 * `immutable-releases:request-promotion`: `POST /v1/promotions`, naming the
 * release by id or by version. Freeze-window overrides stay with people: the
 * action has no `override`.
 */
export function registerRequestPromotionAction(
  actionsRegistry: ActionsRegistryService,
  operations: AuthorizedOperations,
) {
  actionsRegistry.register({
    name: 'request-promotion',
    title: 'Request the promotion of a release',
    description: [
      'Requests that a release of a catalog entity be deployed into an environment of its pipeline, on behalf of the caller.',
      'Name the release by releaseId or by version. Every promotion passes the gates of the environment first:',
      'not-revoked, upstream (it succeeded in the environment before), soak-time, required-checks, freeze-window and approvals.',
      'Call it with dryRun: true first: nothing is stored and the answer holds only how each gate decides, to show the user before asking for real.',
      'A gate that refuses fails the call with a ConflictError naming the gates and why (its body carries them as gates).',
      'An accepted promotion answers the deployment: it may wait pending for approvals, which only people give in Backstage (no action approves).',
      'Follow it with immutable-releases:get-deployment.',
      'Needs the immutable-releases.promotion.create permission on the entity.',
    ].join(' '),
    // It changes what runs in an environment, and each call queues another deployment.
    attributes: { destructive: true, idempotent: false, readOnly: false },
    examples: [
      {
        title: 'Check whether 1.4.0 of checkout may go to production',
        input: {
          entityRef: 'component:default/checkout',
          version: '1.4.0',
          environment: 'production',
          dryRun: true,
        },
      },
      {
        title: 'Promote 1.4.0 of checkout to staging',
        input: {
          entityRef: 'component:default/checkout',
          version: '1.4.0',
          environment: 'staging',
          reason: 'ships the new payment form',
        },
      },
    ],
    schema: {
      input: z =>
        z
          .object({
            entityRef: entityRefInput(z),
            releaseId: releaseIdInput(z)
              .optional()
              .describe('The id of the release to promote (or give version)'),
            version: versionInput(z)
              .optional()
              .describe(
                'The version of the release to promote (or give releaseId)',
              ),
            environment: environmentInput(z, 'The environment to promote into'),
            reason: requestString(
              z,
              spec.components.schemas.PromotionRequest.properties.reason,
            )
              .optional()
              .describe(
                'Why; recorded on the deployment and in the audit trail',
              ),
            dryRun: z
              .boolean()
              .optional()
              .describe(
                'Only evaluate the gates and answer them; nothing is stored',
              ),
          })
          .strict(),
      output: z =>
        z.object({
          deployment: responseSchema(z, 'Deployment')
            .optional()
            .describe(
              'The deployment the promotion queued; absent in a dry run',
            ),
          gates: z
            .array(responseSchema(z, 'Gate'))
            .describe(
              'How each gate decided; a failing approvals gate means the deployment waits for approvals',
            ),
        }),
    },
    action: async ({ input, credentials }) => ({
      output: await operations.requestPromotion(credentials, input),
    }),
  });
}
