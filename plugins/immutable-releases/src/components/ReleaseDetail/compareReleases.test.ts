import { release } from '../../__testUtils__/fixtures';
import { compareReleases } from './compareReleases';

const running = release({
  version: '1.3.0',
  source: { repository: 'https://github.com/acme/shop', commit: 'aaa111' },
  labels: { team: 'payments', tier: '1' },
  checks: [
    check('unit-tests', 'passed'),
    check('e2e', 'passed'),
    check('load-test', 'failed'),
  ],
});

function check(name: string, status: 'passed' | 'failed' | 'pending') {
  return {
    name,
    status,
    recordedAt: '2024-05-01T10:00:00.000Z',
    recordedBy: 'ci',
  };
}

describe('compareReleases', () => {
  it('links the commit range and lists the checks and labels that differ', () => {
    const candidate = release({
      version: '1.4.0',
      source: {
        repository: 'https://github.com/acme/shop.git',
        commit: 'bbb222',
      },
      labels: { team: 'payments', tier: '2', canary: 'yes' },
      checks: [
        check('unit-tests', 'passed'),
        check('e2e', 'failed'),
        check('security-scan', 'pending'),
      ],
    });

    expect(compareReleases(candidate, running)).toEqual({
      commits: {
        kind: 'range',
        from: 'aaa111',
        to: 'bbb222',
        url: 'https://github.com/acme/shop/compare/aaa111...bbb222',
      },
      checks: [
        { name: 'e2e', candidate: 'failed', running: 'passed' },
        { name: 'load-test', candidate: undefined, running: 'failed' },
        { name: 'security-scan', candidate: 'pending', running: undefined },
      ],
      labels: [
        { key: 'canary', candidate: 'yes', running: undefined },
        { key: 'tier', candidate: '2', running: '1' },
      ],
    });
  });

  it('says when both were built from the same commit', () => {
    const rebuilt = release({ version: '1.3.1', source: running.source });
    expect(compareReleases(rebuilt, running).commits).toEqual({
      kind: 'same',
      commit: 'aaa111',
    });
  });

  it('says why there is no range: another repository, or no commit', () => {
    const forked = release({
      version: '1.4.0',
      source: { repository: 'https://github.com/fork/shop', commit: 'ccc' },
    });
    expect(compareReleases(forked, running).commits).toEqual({
      kind: 'unknown',
      reason: 'the two releases were built from different repositories',
    });
    const uncommitted = release({
      version: '1.4.0',
      source: { repository: 'https://github.com/acme/shop' },
    });
    expect(compareReleases(uncommitted, running).commits).toEqual({
      kind: 'unknown',
      reason: '1.4.0 names no commit',
    });
  });

  it('gives a range without a link on a host it does not know', () => {
    const elsewhere = (version: string, commit: string) =>
      release({
        version,
        source: { repository: 'svn://svn.acme.com/shop', commit },
      });
    expect(
      compareReleases(elsewhere('2', 'r20'), elsewhere('1', 'r10')).commits,
    ).toEqual({ kind: 'range', from: 'r10', to: 'r20' });
  });
});
