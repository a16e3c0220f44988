import { ReleaseCheck } from 'backstage-plugin-immutable-releases-common';
import {
  promotionSnapshot,
  testEnvironment,
} from '../../__testUtils__/gateSnapshots';
import { requiredChecks } from './requiredChecks';

function check(name: string, status: ReleaseCheck['status']): ReleaseCheck {
  return {
    name,
    status,
    recordedAt: '2026-11-30T09:00:00.000Z',
    recordedBy: 'user:default/ci',
  };
}

const requiring = (...names: string[]) =>
  testEnvironment({ requiredChecks: names });

describe('requiredChecks', () => {
  it('passes when the environment requires no checks, whatever the release has', () => {
    const result = requiredChecks(
      promotionSnapshot({ checks: [check('unit-tests', 'failed')] }),
    );
    expect(result.passed).toBe(true);
    expect(result.message).toBe('production requires no checks');
  });

  it('passes when every required check passed, ignoring checks not required', () => {
    const result = requiredChecks(
      promotionSnapshot({
        environment: requiring('unit-tests', 'image-scan'),
        checks: [
          check('unit-tests', 'passed'),
          check('image-scan', 'passed'),
          check('lint', 'failed'),
        ],
      }),
    );
    expect(result).toEqual({
      name: 'required-checks',
      passed: true,
      message: 'required checks passed: unit-tests, image-scan',
    });
  });

  it('names each required check that failed, is pending or is missing', () => {
    const result = requiredChecks(
      promotionSnapshot({
        environment: requiring('unit-tests', 'image-scan', 'e2e', 'load'),
        checks: [
          check('unit-tests', 'passed'),
          check('image-scan', 'failed'),
          check('e2e', 'pending'),
        ],
      }),
    );
    expect(result).toEqual({
      name: 'required-checks',
      passed: false,
      message:
        'required checks not passed: image-scan is failed, e2e is pending, load is missing',
    });
  });
});
