import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  entityRefInput,
  normalizeEntityRef,
  releasesUrl,
  ReleasesActionOptions,
  waitIfRequested,
  waitInputs,
} from './shared';
import { resolveRelease } from './resolveRelease';

/**
 * `immutable-releases:rollback`: rolls an environment back to a release that
 * already ran there (by default the one before the current release), as the
 * user who runs the template. The environment is then held. A dry run checks
 * the environment and target and logs what would happen, without writing.
 *
 * @public
 */
export function createRollbackReleaseAction(options: ReleasesActionOptions) {
  const { client, config, pollIntervalMs } = options;
  return createTemplateAction({
    id: 'immutable-releases:rollback',
    description:
      'Rolls an environment of a catalog entity back to a release that already ran there (default: the release current before the current one). A reason is required; the environment is held afterwards.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Roll production back to the previous release and wait',
        example: [
          'steps:',
          '  - id: rollback',
          '    name: Roll back',
          '    action: immutable-releases:rollback',
          '    input:',
          '      entityRef: component:default/checkout',
          '      environment: production',
          '      reason: p99 latency doubled after 1.5.0',
          '      waitForCompletion: true',
        ].join('\n'),
      },
      {
        description: 'Roll staging back to a named version',
        example: [
          'steps:',
          '  - id: rollback',
          '    name: Roll back',
          '    action: immutable-releases:rollback',
          '    input:',
          '      entityRef: component:default/checkout',
          '      environment: staging',
          "      version: '1.3.2'",
          '      reason: ${{ parameters.reason }}',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        entityRef: entityRefInput,
        environment: z =>
          z.string().min(1).describe('The environment to roll back'),
        reason: z =>
          z.string().min(1).describe('Why; required and recorded on the hold'),
        releaseId: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe('The target release (default: the previous one)'),
        version: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe('The target version (instead of releaseId)'),
        ...waitInputs('rollback'),
      },
      output: {
        deploymentId: z =>
          z
            .string()
            .optional()
            .describe('The rollback deployment (absent in a dry run)'),
        status: z => z.string().describe('The deployment status, or dry-run'),
        releaseId: z =>
          z
            .string()
            .optional()
            .describe('The target release (absent in a dry run without one)'),
        version: z => z.string().optional().describe('Its version'),
        releasesUrl: z =>
          z.string().describe("Link to the entity's Releases tab"),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const entityRef = normalizeEntityRef(ctx.input.entityRef);
      const { environment, reason } = ctx.input;
      const target =
        ctx.input.releaseId || ctx.input.version
          ? await resolveRelease(client, credentials, {
              entityRef,
              releaseId: ctx.input.releaseId,
              version: ctx.input.version,
            })
          : undefined;
      ctx.output('releasesUrl', releasesUrl(config, entityRef));

      if (ctx.isDryRun) {
        const { environments } = await client.getEnvironments(
          entityRef,
          credentials,
        );
        const status = environments.find(env => env.name === environment);
        if (!status) {
          throw new InputError(
            `environment '${environment}' is not in the pipeline of ${entityRef} (${environments
              .map(env => env.name)
              .join(', ')})`,
          );
        }
        const current = status.currentRelease?.version ?? 'nothing';
        ctx.logger.info(
          `dry run: would roll ${environment} of ${entityRef} back from ${current} to ${
            target
              ? target.version
              : 'the release that succeeded there before the current one'
          } and hold it: ${reason}`,
        );
        if (target) {
          ctx.output('releaseId', target.id);
          ctx.output('version', target.version);
        }
        ctx.output('status', 'dry-run');
        return;
      }

      const deploymentId = await ctx.checkpoint({
        key: `immutable-releases-rollback-${entityRef}-${environment}-${
          target?.id ?? 'previous'
        }`,
        fn: async () =>
          (
            await client.rollback(
              {
                entityRef,
                environment,
                reason,
                ...(target ? { releaseId: target.id } : {}),
              },
              credentials,
            )
          ).id,
      });
      const deployment = await client.getDeployment(deploymentId, credentials);
      ctx.logger.info(
        `requested the rollback of ${environment} of ${entityRef} to ${deployment.release.version}: deployment ${deployment.id} is ${deployment.status}`,
      );
      ctx.output('deploymentId', deployment.id);
      ctx.output('status', deployment.status);
      ctx.output('releaseId', deployment.release.id);
      ctx.output('version', deployment.release.version);

      await waitIfRequested({
        input: ctx.input,
        client,
        deployment,
        credentials,
        pollIntervalMs,
        logger: ctx.logger,
        signal: ctx.signal,
        onStatus: status => ctx.output('status', status),
      });
    },
  });
}
