import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  Deployment,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { EntityPipelines } from '../pipelines/EntityPipelines';
import { EnvironmentDefinition } from '../pipelines/pipelineConfig';
import {
  deploymentNotifications,
  driftUnmanagedNotification,
  mayNotifyOfDeployment,
  notificationSubject,
} from './notificationRules';

export interface ReleaseNotificationsOptions {
  notifications: NotificationService;
  db: Pick<ReleasesDatabase, 'deployments' | 'releases'>;
  entities: Pick<EntityPipelines, 'getEntity'>;
  /** The configured environment of a deployment, if its pipeline and it still exist. */
  environmentOf: (
    deployment: Pick<Deployment, 'id' | 'environment'>,
  ) => Promise<EnvironmentDefinition | undefined>;
  logger: LoggerService;
  /**
   * Whether the notifications backend runs in this backend. When it does, a
   * notification that cannot be sent is a warning; otherwise it is expected
   * (it may run in another backend of the installation, or nowhere).
   */
  backendInstalledHere: boolean;
}

/**
 * Turns committed events into notifications for people (the rules are in
 * `notificationRules`) and sends them. Nothing here fails the change that
 * caused the events: what cannot be sent is logged.
 */
export class ReleaseNotifications {
  static create(options: ReleaseNotificationsOptions): ReleaseNotifications {
    return new ReleaseNotifications(options);
  }

  private constructor(private readonly options: ReleaseNotificationsOptions) {}

  async notify(events: ReadonlyArray<ReleaseEvent>): Promise<void> {
    for (const event of events) {
      let notifications: NotificationSendOptions[];
      try {
        notifications = await this.notificationsFor(event);
      } catch (error) {
        this.options.logger.warn(
          `Could not work out whom to notify of ${event.type} of ${event.entityRef}`,
          error as Error,
        );
        continue;
      }
      for (const notification of notifications) {
        await this.send(notification);
      }
    }
  }

  private async notificationsFor(
    event: ReleaseEvent,
  ): Promise<NotificationSendOptions[]> {
    const { db, entities, environmentOf } = this.options;
    const subject = notificationSubject(event);
    if (subject === 'drift') {
      const notification = driftUnmanagedNotification(
        event,
        await entities.getEntity(event.entityRef),
      );
      return notification ? [notification] : [];
    }
    if (subject !== 'deployment') {
      return [];
    }
    const environment = await environmentOf({
      id: event.deploymentId!,
      environment: event.environment!,
    });
    if (!environment || !mayNotifyOfDeployment(event, environment)) {
      return [];
    }
    const deployment = await db.deployments.getDeployment(event.deploymentId!);
    if (!deployment) {
      return [];
    }
    const [entity, release] = await Promise.all([
      entities.getEntity(deployment.entityRef),
      db.releases.getRelease(deployment.releaseId),
    ]);
    return deploymentNotifications({
      event,
      deployment,
      environment,
      entity,
      releaseCreatedBy: release?.createdBy,
    });
  }

  private async send(notification: NotificationSendOptions): Promise<void> {
    const { notifications, logger, backendInstalledHere } = this.options;
    const { title, topic } = notification.payload;
    try {
      await notifications.send(notification);
    } catch (error) {
      if (backendInstalledHere) {
        logger.warn(
          `Could not send the notification '${title}' (${topic})`,
          error as Error,
        );
      } else {
        logger.debug(
          `Did not send the notification '${title}' (${topic}): the notifications backend is not installed in this backend and could not be reached`,
          error as Error,
        );
      }
    }
  }
}
