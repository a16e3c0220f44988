import { knownGoodReleases } from './knownGood';
import { Deployment, DeploymentKind, DeploymentStatus } from './types';

let clock = 0;
function deployment(
  version: string,
  options: {
    kind?: DeploymentKind;
    status?: DeploymentStatus;
    verified?: boolean;
    revoked?: boolean;
  } = {},
): Deployment {
  clock += 1;
  const at = new Date(Date.UTC(2026, 10, 1, 0, clock)).toISOString();
  const status = options.status ?? 'succeeded';
  return {
    id: `d-${clock}`,
    entityRef: 'component:default/checkout',
    environment: 'staging',
    releaseId: `r-${version}`,
    release: {
      id: `r-${version}`,
      version,
      artifact: {
        type: 'oci-image',
        uri: 'ghcr.io/acme/checkout',
        digest: `sha256:${version}`,
      },
      revoked: options.revoked ?? false,
    },
    kind: options.kind ?? 'promotion',
    status,
    reason: null,
    requestedBy: 'user:default/alice',
    createdAt: at,
    updatedAt: at,
    transitions: [
      { status: 'pending', at, actor: 'alice', message: '' },
      { status: 'running', at, actor: 'engine', message: '' },
      ...(options.verified
        ? [{ status: 'verifying' as const, at, actor: 'engine', message: '' }]
        : []),
      { status, at, actor: 'engine', message: '' },
    ],
    gates: [],
    approvals: [],
    executor: null,
  };
}

const versions = (deployments: Deployment[], current?: string) =>
  knownGoodReleases(deployments, current).map(r => r.version);

describe('knownGoodReleases', () => {
  it('never proposes a release that a rollback replaced', () => {
    // 1.0 → 1.1 → 1.2, then rolled back 1.2 → 1.1: the next target is 1.0.
    const history = [
      deployment('1.0'),
      deployment('1.1'),
      deployment('1.2'),
      deployment('1.1', { kind: 'rollback' }),
    ];
    expect(versions(history)).toEqual(['1.0']);
    // The order they are given in does not matter.
    expect(versions([...history].reverse())).toEqual(['1.0']);
  });

  it('leaves out the current, revoked and failed-verification releases, newest first', () => {
    const history = [
      deployment('0.9'),
      deployment('1.0', { revoked: true }),
      deployment('1.1'),
      deployment('1.2'),
      deployment('1.3', { status: 'failed', verified: true }),
      deployment('1.3', { status: 'failed' }),
      deployment('1.4', { status: 'failed' }),
      deployment('1.5'),
    ];
    expect(versions(history)).toEqual(['1.2', '1.1', '0.9']);
  });

  it('counts a release whose verification failed as rolled back from, even after a retry', () => {
    const history = [
      deployment('1.0'),
      deployment('1.1', { status: 'failed', verified: true }),
      deployment('1.1', { verified: true }),
      deployment('1.2'),
    ];
    expect(versions(history)).toEqual(['1.0']);
  });

  it('takes the current release it is told, e.g. the one a failed verification left running', () => {
    const history = [
      deployment('1.0'),
      deployment('1.1'),
      deployment('1.2', { status: 'failed', verified: true }),
    ];
    expect(versions(history, 'r-1.2')).toEqual(['1.1', '1.0']);
    expect(versions([])).toEqual([]);
  });
});
