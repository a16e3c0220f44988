import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AuthorizedOperations } from '../api/AuthorizedOperations';
import { parseJsonText } from '../database/jsonColumns';
import { spec } from '../schema/openapi.generated';
import { entityRefInput, versionInput } from './inputFields';
import {
  requestInteger,
  requestString,
  responseSchema,
} from './openApiSchemas';

const { limit, cursor } = spec.components.parameters;

/** `immutable-releases:list-releases`: a page of releases, as `GET …/releases` answers. */
export function registerListReleasesAction(
  actionsRegistry: ActionsRegistryService,
  operations: AuthorizedOperations,
) {
  actionsRegistry.register({
    name: 'list-releases',
    title: 'List the releases of an entity',
    description: [
      'Lists the immutable releases of a catalog entity, newest first: version, artifact pinned by digest, source commit, build,',
      'the latest result of each check, whether it was revoked, and its latest deployment per environment.',
      'Give version to find the one release with exactly that version: the page then holds it, or nothing.',
      'Answers one page at a time: when nextCursor is not null, call again with it as cursor for the next page.',
      'Needs the immutable-releases.release.read permission.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true },
    examples: [
      {
        title: 'The ten newest releases of checkout',
        input: { entityRef: 'component:default/checkout', limit: 10 },
      },
      {
        title: 'Release 1.4.0 of checkout',
        input: { entityRef: 'component:default/checkout', version: '1.4.0' },
      },
    ],
    schema: {
      input: z =>
        z
          .object({
            entityRef: entityRefInput(z),
            limit: requestInteger(z, limit.schema)
              .optional()
              .describe('How many releases per page, 1 to 200 (default 50)'),
            cursor: requestString(z, cursor.schema)
              .optional()
              .describe('The nextCursor of the previous page, as it was'),
            version: versionInput(z)
              .optional()
              .describe('Only the release with exactly this version'),
          })
          .strict(),
      output: z => responseSchema(z, 'ReleasePage'),
    },
    action: async ({ input, credentials }) => {
      const { entityRef, ...query } = input;
      const page = await operations.listReleases(credentials, entityRef, query);
      return {
        output: { ...page, items: page.items.map(parseJsonText) },
      };
    },
  });
}
