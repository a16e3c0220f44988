import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';

/**
 * Reads the optional duration at `key` (`{ minutes: 5 }`, `5m` or `PT5M`)
 * in milliseconds; it must be positive.
 */
export function readPositiveDurationMs(
  config: Config,
  options: { key: string; configKey: string; defaultValue: HumanDuration },
): number {
  const { key, configKey, defaultValue } = options;
  if (!config.has(key)) {
    return durationToMilliseconds(defaultValue);
  }
  let milliseconds: number;
  try {
    milliseconds = durationToMilliseconds(
      readDurationFromConfig(config, { key }),
    );
  } catch (error) {
    throw new Error(
      `${configKey}.${key} must be a duration such as { minutes: 5 } or '5m'`,
      { cause: error },
    );
  }
  if (!(milliseconds > 0)) {
    throw new Error(`${configKey}.${key} must be a positive duration`);
  }
  return milliseconds;
}

/** `300 ms`, `1.5 seconds`, `10 minutes`: for messages people read. */
export function describeDuration(milliseconds: number): string {
  const units: Array<[string, number]> = [
    ['hour', 3_600_000],
    ['minute', 60_000],
    ['second', 1_000],
  ];
  for (const [unit, size] of units) {
    if (milliseconds >= size) {
      const amount = Math.round((milliseconds / size) * 10) / 10;
      return `${amount} ${amount === 1 ? unit : `${unit}s`}`;
    }
  }
  return `${milliseconds} ms`;
}
