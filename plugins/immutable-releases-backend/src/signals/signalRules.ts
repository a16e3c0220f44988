import { SignalPayload } from '@backstage/plugin-signals-node';
import {
  ImmutableReleasesSignal,
  immutableReleasesSignalChannel,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';

/**
 * Whether an event changes what an entity's page shows live: a deployment's
 * status, its approvals, a hold or the drift status of an environment.
 */
export function isSignalled(eventType: string): boolean {
  return (
    eventType.startsWith('deployment.') ||
    eventType.startsWith('approval.') ||
    eventType === 'hold.set' ||
    eventType === 'hold.released' ||
    eventType === 'drift.changed'
  );
}

/** The signal that announces the event to whoever watches its entity, if it is signalled. */
export function signalFor(
  event: ReleaseEvent,
): SignalPayload<ImmutableReleasesSignal> | undefined {
  if (!isSignalled(event.type)) {
    return undefined;
  }
  return {
    channel: immutableReleasesSignalChannel(event.entityRef),
    recipients: { type: 'broadcast' },
    message: {
      type: event.type,
      ...(event.deploymentId ? { deploymentId: event.deploymentId } : {}),
      ...(event.environment ? { environment: event.environment } : {}),
    },
  };
}
