// Shared with backend modules through -node.
export {
  describeDuration,
  readPositiveDurationMs,
} from 'backstage-plugin-immutable-releases-node';

/** Where an executor's definition lives in app-config, for error messages. */
export function defaultExecutorConfigKey(name: string): string {
  return `immutableReleases.executors.${name}`;
}
