import { Config } from '@backstage/config';

/**
 * Reads the string at `key`, which must be present and not empty; the error
 * names `configKey.key`.
 *
 * @public
 */
export function readNonEmptyString(
  config: Config,
  key: string,
  configKey: string,
): string {
  const value = config.getOptional(key);
  if (typeof value !== 'string' || value === '') {
    throw new Error(`${configKey}.${key} must be a non-empty string`);
  }
  return value;
}

/**
 * Refuses a key of `config` that is not in `known` (a typo would otherwise
 * be ignored silently), naming it and the keys there are. `what` names the
 * block in the message, e.g. `the kubernetes executor`.
 *
 * @public
 */
export function assertKnownKeys(
  config: Config,
  known: readonly string[],
  configKey: string,
  what?: string,
): void {
  for (const key of config.keys()) {
    if (!known.includes(key)) {
      throw new Error(
        `${configKey}.${key} is not ${
          what ? `a setting of ${what}` : 'a known key'
        } (known: ${known.join(', ')})`,
      );
    }
  }
}
