import { DeploymentTransition } from 'backstage-plugin-immutable-releases-common';
import { verificationOf } from './verification';

function transition(
  status: DeploymentTransition['status'],
  message: string,
  at: string,
): DeploymentTransition {
  return { status, message, at, actor: 'immutable-releases' };
}

const started = [
  transition('pending', 'requested', '2026-11-30T10:00:00Z'),
  transition('running', 'executor kubernetes started', '2026-11-30T10:00:01Z'),
  transition(
    'verifying',
    'rollout complete; verifying GET https://shop.example.com/health',
    '2026-11-30T10:01:00Z',
  ),
];

describe('verificationOf', () => {
  it('names what is checked while the verification runs', () => {
    expect(verificationOf(started)).toEqual({
      target: 'GET https://shop.example.com/health',
      startedAt: '2026-11-30T10:01:00Z',
    });
  });

  it('tells how it ended: passed when the deployment then succeeded', () => {
    const ended = [
      ...started,
      transition(
        'succeeded',
        'GET https://shop.example.com/health answered 200 at attempt 2',
        '2026-11-30T10:01:30Z',
      ),
    ];
    expect(verificationOf(ended)?.outcome).toEqual({
      passed: true,
      message: 'GET https://shop.example.com/health answered 200 at attempt 2',
      at: '2026-11-30T10:01:30Z',
    });
  });

  it('tells how it ended: not passed when the deployment then failed', () => {
    const ended = [
      ...started,
      transition(
        'failed',
        'verification failed after 5 attempts: answered 503',
        '2026-11-30T10:03:00Z',
      ),
    ];
    expect(verificationOf(ended)?.outcome?.passed).toBe(false);
  });

  it('is undefined for a deployment that never verified', () => {
    expect(
      verificationOf([
        transition('pending', 'requested', '2026-11-30T10:00:00Z'),
        transition('succeeded', 'deployed', '2026-11-30T10:00:05Z'),
      ]),
    ).toBeUndefined();
  });
});
