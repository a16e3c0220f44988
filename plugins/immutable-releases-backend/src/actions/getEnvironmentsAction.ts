import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AuthorizedOperations } from '../api/AuthorizedOperations';
import { entityRefInput } from './inputFields';
import { responseSchema } from './openApiSchemas';

/** `immutable-releases:get-environments`: what runs where, as `GET …/environments` answers. */
export function registerGetEnvironmentsAction(
  actionsRegistry: ActionsRegistryService,
  operations: AuthorizedOperations,
) {
  actionsRegistry.register({
    name: 'get-environments',
    title: 'Get the environments of an entity',
    description: [
      "Shows each environment of a catalog entity's delivery pipeline, in promotion order (e.g. development, staging, production).",
      'For each: the release running there (id, version, artifact digest, whether it was revoked), the deployment in progress, the deployments waiting (for approvals or their turn),',
      'drift (in-sync, drifted, unmanaged: something no release of the entity runs there, or unknown) and a hold that stops automatic promotions after a rollback.',
      'Use it to learn the environment names and what runs where before requesting a promotion or a rollback.',
      'Needs the immutable-releases.release.read permission.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true },
    examples: [
      {
        title: 'What runs in each environment of checkout',
        input: { entityRef: 'component:default/checkout' },
      },
    ],
    schema: {
      input: z => z.object({ entityRef: entityRefInput(z) }).strict(),
      output: z => responseSchema(z, 'EnvironmentsResponse'),
    },
    action: async ({ input, credentials }) => ({
      output: await operations.describeEnvironments(
        credentials,
        input.entityRef,
      ),
    }),
  });
}
