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
 * `immutable-releases:promote`: requests the promotion of a release into an
 * environment as the user who runs the template, optionally waiting until the
 * deployment is over. A dry run evaluates and logs the gates.
 *
 * @public
 */
export function createPromoteReleaseAction(options: ReleasesActionOptions) {
  const { client, config, pollIntervalMs } = options;
  return createTemplateAction({
    id: 'immutable-releases:promote',
    description:
      'Promotes an immutable release of a catalog entity into an environment of its pipeline, behind the gates (upstream, soak time, required checks, freeze windows, approvals), on behalf of the user running the template.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Promote version 1.4.0 of checkout to staging and wait',
        example: [
          'steps:',
          '  - id: promote',
          '    name: Promote',
          '    action: immutable-releases:promote',
          '    input:',
          '      entityRef: component:default/checkout',
          "      version: '1.4.0'",
          '      environment: staging',
          '      reason: ${{ parameters.reason }}',
          '      waitForCompletion: true',
          '      timeoutSeconds: 900',
        ].join('\n'),
      },
      {
        description:
          'Request a production promotion by release id without waiting (it may wait for approvals)',
        example: [
          'steps:',
          '  - id: promote',
          '    name: Request promotion',
          '    action: immutable-releases:promote',
          '    input:',
          '      entityRef: ${{ parameters.entityRef }}',
          '      releaseId: ${{ parameters.releaseId }}',
          '      environment: production',
          '      reason: quarterly release',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        entityRef: entityRefInput,
        releaseId: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe('The release to promote (or give version)'),
        version: z =>
          z
            .string()
            .min(1)
            .optional()
            .describe(
              'The version of the release to promote (or give releaseId)',
            ),
        environment: z =>
          z.string().min(1).describe('The environment to promote into'),
        reason: z =>
          z.string().optional().describe('Why; recorded on the deployment'),
        override: z =>
          z
            .object({ reason: z.string().min(1) })
            .optional()
            .describe(
              'Promote during a freeze window (needs immutable-releases.freeze.override)',
            ),
        ...waitInputs('deployment'),
      },
      output: {
        deploymentId: z =>
          z
            .string()
            .optional()
            .describe('The deployment (absent in a dry run)'),
        status: z =>
          z
            .string()
            .describe(
              'The deployment status (pending, running, succeeded, …) or dry-run',
            ),
        releaseId: z => z.string().describe('The promoted release'),
        version: z => z.string().describe('Its version'),
        releasesUrl: z =>
          z.string().describe("Link to the entity's Releases tab"),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const entityRef = normalizeEntityRef(ctx.input.entityRef);
      const { environment, reason, override } = ctx.input;
      const release = await resolveRelease(client, credentials, {
        entityRef,
        releaseId: ctx.input.releaseId,
        version: ctx.input.version,
      });
      const request = {
        entityRef,
        releaseId: release.id,
        environment,
        ...(reason ? { reason } : {}),
        ...(override ? { override } : {}),
      };
      ctx.output('releaseId', release.id);
      ctx.output('version', release.version);
      ctx.output('releasesUrl', releasesUrl(config, entityRef));

      if (ctx.isDryRun) {
        const gates = await client.evaluatePromotion(request, credentials);
        for (const gate of gates) {
          ctx.logger.info(
            `dry run: gate ${gate.name} ${gate.passed ? 'passes' : 'FAILS'}: ${
              gate.message
            }`,
          );
        }
        const failing = gates.filter(gate => !gate.passed);
        ctx.logger.info(
          failing.length === 0
            ? `dry run: ${release.version} could be promoted to ${environment}`
            : `dry run: promoting ${
                release.version
              } to ${environment} would be refused or wait (${failing
                .map(gate => gate.name)
                .join(', ')})`,
        );
        ctx.output('status', 'dry-run');
        return;
      }

      // A recovered task must not request the same promotion twice.
      const deploymentId = await ctx.checkpoint({
        key: `immutable-releases-promote-${entityRef}-${environment}-${release.id}`,
        fn: async () => (await client.promote(request, credentials)).id,
      });
      const deployment = await client.getDeployment(deploymentId, credentials);
      ctx.logger.info(
        `requested the promotion of ${release.version} of ${entityRef} to ${environment}: deployment ${deployment.id} is ${deployment.status}`,
      );
      for (const gate of deployment.gates) {
        ctx.logger.info(
          `gate ${gate.name} ${gate.passed ? 'passed' : 'pending'}: ${
            gate.message
          }`,
        );
      }
      ctx.output('deploymentId', deployment.id);
      ctx.output('status', deployment.status);

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
