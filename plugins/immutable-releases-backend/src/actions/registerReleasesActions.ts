import { LoggerService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { AuthorizedOperations } from '../api/AuthorizedOperations';
import { withoutInternalDetails } from '../api/errorHandlers';
import { registerGetDeploymentAction } from './getDeploymentAction';
import { registerGetEnvironmentsAction } from './getEnvironmentsAction';
import { registerListReleasesAction } from './listReleasesAction';
import { registerRequestPromotionAction } from './requestPromotionAction';
import { registerRequestRollbackAction } from './requestRollbackAction';

/**
 * Registers the plugin's actions with the actions registry, which lists them
 * on `/.backstage/actions/v1/actions` (ids `immutable-releases:<name>`) for
 * MCP clients and the scaffolder. There is no approve action: approving stays
 * a human act.
 */
export function registerReleasesActions(options: {
  actionsRegistry: ActionsRegistryService;
  operations: AuthorizedOperations;
  logger: LoggerService;
}) {
  const { operations, logger } = options;
  const actionsRegistry = hidingInternalErrors(options.actionsRegistry, logger);
  registerGetEnvironmentsAction(actionsRegistry, operations);
  registerListReleasesAction(actionsRegistry, operations);
  registerGetDeploymentAction(actionsRegistry, operations);
  registerRequestPromotionAction(actionsRegistry, operations);
  registerRequestRollbackAction(actionsRegistry, operations);
}

/**
 * A registry whose actions fail as the REST routes do: a typed error as it is,
 * anything else (a lost database connection, a bug) with a log id instead of
 * a message that may quote SQL.
 */
function hidingInternalErrors(
  actionsRegistry: ActionsRegistryService,
  logger: LoggerService,
): ActionsRegistryService {
  return {
    register(action) {
      actionsRegistry.register({
        ...action,
        action: async context => {
          try {
            return await action.action(context);
          } catch (error) {
            throw withoutInternalDetails(
              error,
              logger,
              `action immutable-releases:${action.name}`,
            );
          }
        },
      });
    },
  };
}
