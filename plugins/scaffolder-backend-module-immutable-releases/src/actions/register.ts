import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ARTIFACT_TYPES,
  CHECK_STATUSES,
  isValidDigest,
} from 'backstage-plugin-immutable-releases-common';
import {
  entityRefInput,
  normalizeEntityRef,
  releasesUrl,
  ReleasesActionOptions,
} from './shared';

/**
 * `immutable-releases:register`: registers an immutable release (an artifact
 * pinned by digest) of a catalog entity, as the user who runs the template.
 * Registering the identical release again returns the existing one. A dry run
 * validates the input and looks for a conflicting version without writing.
 *
 * @public
 */
export function createRegisterReleaseAction(options: ReleasesActionOptions) {
  const { client, config } = options;
  return createTemplateAction({
    id: 'immutable-releases:register',
    description:
      'Registers an immutable release of a catalog entity: a version and an artifact pinned by digest (never a tag), with optional source, build, checks and labels.',
    supportsDryRun: true,
    examples: [
      {
        description:
          'Register an OCI image pinned by digest with a passed check',
        example: [
          'steps:',
          '  - id: register',
          '    name: Register the first release',
          '    action: immutable-releases:register',
          '    input:',
          '      entityRef: component:default/checkout',
          "      version: '0.1.0'",
          '      artifact:',
          '        type: oci-image',
          '        uri: ghcr.io/acme/checkout',
          '        digest: sha256:3f1e9b0c5d2a7e4f8b6c1d0e9f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c',
          '      source:',
          '        repository: https://github.com/acme/checkout',
          '        commit: 9c1d2e3',
          '      checks:',
          '        - name: unit-tests',
          '          status: passed',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        entityRef: entityRefInput,
        version: z =>
          z.string().min(1).describe('The version, unique per entity'),
        artifact: z =>
          z
            .object({
              type: z.enum(ARTIFACT_TYPES),
              uri: z.string().min(1),
              digest: z
                .string()
                .describe('sha256:<64 hex> or sha512:<128 hex>, lower case'),
            })
            .describe('What is deployed, pinned by digest'),
        source: z =>
          z
            .object({
              repository: z.string().optional(),
              commit: z.string().optional(),
              branch: z.string().optional(),
              committedAt: z.string().optional(),
            })
            .optional()
            .describe('Where it was built from'),
        build: z =>
          z
            .object({ id: z.string().optional(), url: z.string().optional() })
            .optional()
            .describe('The build that produced it'),
        checks: z =>
          z
            .array(
              z.object({
                name: z.string().min(1),
                status: z.enum(CHECK_STATUSES),
                url: z.string().optional(),
                summary: z.string().optional(),
              }),
            )
            .optional()
            .describe('Check results known at registration'),
        labels: z =>
          z.record(z.string(), z.string()).optional().describe('Free labels'),
      },
      output: {
        releaseId: z =>
          z.string().optional().describe('The release (absent in a dry run)'),
        version: z => z.string().describe('Its version'),
        created: z =>
          z
            .boolean()
            .describe(
              'false when the identical release was already registered (or in a dry run)',
            ),
        releasesUrl: z =>
          z.string().describe("Link to the entity's Releases tab"),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const entityRef = normalizeEntityRef(ctx.input.entityRef);
      const { version, artifact } = ctx.input;
      if (!isValidDigest(artifact.digest)) {
        throw new InputError(
          `artifact.digest '${artifact.digest}' is not a digest: use sha256:<64 hex> or sha512:<128 hex> in lower case (tags are never deployable)`,
        );
      }
      ctx.output('version', version);
      ctx.output('releasesUrl', releasesUrl(config, entityRef));

      if (ctx.isDryRun) {
        const existing = await client.findReleaseByVersion(
          entityRef,
          version,
          credentials,
        );
        if (existing && existing.artifact.digest !== artifact.digest) {
          throw new ConflictError(
            `${entityRef} already has version ${version} with digest ${existing.artifact.digest}: releases are immutable, register a new version`,
          );
        }
        ctx.logger.info(
          existing
            ? `dry run: ${version} of ${entityRef} is already registered (${existing.id}); registering the identical release again returns it`
            : `dry run: would register ${version} of ${entityRef} as ${artifact.uri}@${artifact.digest}`,
        );
        ctx.output('created', false);
        return;
      }

      // Template parameters left empty arrive as '' or undefined: leave them out.
      const source = withoutEmptyFields(ctx.input.source);
      const build = withoutEmptyFields(ctx.input.build);
      const { release, created } = await client.registerRelease(
        {
          entityRef,
          version,
          artifact,
          ...(source ? { source } : {}),
          ...(build ? { build } : {}),
          ...(ctx.input.checks ? { checks: ctx.input.checks } : {}),
          ...(ctx.input.labels ? { labels: ctx.input.labels } : {}),
        },
        credentials,
      );
      ctx.logger.info(
        created
          ? `registered ${release.version} of ${entityRef} as release ${release.id} (${release.artifact.uri}@${release.artifact.digest})`
          : `${release.version} of ${entityRef} was already registered as release ${release.id}`,
      );
      ctx.output('releaseId', release.id);
      ctx.output('created', created);
    },
  });
}

/** The object without its empty fields, or undefined when none is left. */
function withoutEmptyFields<T extends Record<string, string | undefined>>(
  value: T | undefined,
): Partial<T> | undefined {
  if (!value) {
    return undefined;
  }
  const entries = Object.entries(value).filter(
    ([, field]) => field !== undefined && field !== '',
  );
  return entries.length > 0
    ? (Object.fromEntries(entries) as Partial<T>)
    : undefined;
}
