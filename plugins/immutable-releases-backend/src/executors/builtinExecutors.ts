import { DeploymentExecutorFactory } from 'backstage-plugin-immutable-releases-node';
import { CommandExecutor } from './CommandExecutor';
import { WebhookExecutor } from './WebhookExecutor';

/**
 * The executor types every installation has: `command` (runs an argv in
 * `rootDir`, or its configured `cwd`) and `webhook` (signed HTTP POST).
 */
export function builtinExecutorFactories(
  rootDir: string,
): DeploymentExecutorFactory[] {
  return [
    {
      type: 'command',
      create: ({ name, config }) =>
        CommandExecutor.create({ name, config, rootDir }),
    },
    {
      type: 'webhook',
      create: ({ name, config }) => WebhookExecutor.create({ name, config }),
    },
  ];
}
