import { ConfigReader } from '@backstage/config';
import { describeDuration, readPositiveDurationMs } from './durations';

describe('readPositiveDurationMs', () => {
  const read = (data: object) =>
    readPositiveDurationMs(new ConfigReader(data), {
      key: 'timeout',
      configKey: 'immutableReleases.executors.x',
      defaultValue: { minutes: 10 },
    });

  it('reads a duration in any of its forms, or the default', () => {
    expect(read({ timeout: { minutes: 2 } })).toBe(120_000);
    expect(read({ timeout: '90s' })).toBe(90_000);
    expect(read({})).toBe(600_000);
  });

  it('names the key of a value that is not a positive duration', () => {
    expect(() => read({ timeout: 'soon' })).toThrow(
      "immutableReleases.executors.x.timeout must be a duration such as { minutes: 5 } or '5m'",
    );
    expect(() => read({ timeout: { seconds: 0 } })).toThrow(
      'immutableReleases.executors.x.timeout must be a positive duration',
    );
  });
});

describe('describeDuration', () => {
  it('uses the largest unit that fits', () => {
    expect(describeDuration(600)).toBe('600 ms');
    expect(describeDuration(1_500)).toBe('1.5 seconds');
    expect(describeDuration(600_000)).toBe('10 minutes');
    expect(describeDuration(3_600_000)).toBe('1 hour');
  });
});
