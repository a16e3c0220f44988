import { WorkflowRun } from './githubTypes';
import {
  branchOf,
  dispatchedRunsQuery,
  pickDispatchedRun,
} from './runMatching';

function run(
  id: number,
  createdAt: string,
  overrides: Partial<WorkflowRun> = {},
): WorkflowRun {
  return {
    id,
    run_number: id,
    html_url: `https://github.com/acme/checkout/actions/runs/${id}`,
    status: 'queued',
    conclusion: null,
    created_at: createdAt,
    event: 'workflow_dispatch',
    head_branch: 'main',
    ...overrides,
  };
}

describe('branchOf', () => {
  it.each([
    ['main', 'main'],
    ['refs/heads/release/1.x', 'release/1.x'],
    ['refs/tags/v1.2.3', 'v1.2.3'],
  ])('%s → %s', (ref, branch) => {
    expect(branchOf(ref)).toBe(branch);
  });
});

describe('dispatchedRunsQuery', () => {
  it('lists the dispatch runs of the branch created from five minutes before, to the second', () => {
    expect(
      dispatchedRunsQuery(
        'refs/heads/main',
        Date.parse('2026-11-30T10:05:07.250Z'),
      ),
    ).toEqual({
      event: 'workflow_dispatch',
      branch: 'main',
      created: '>=2026-11-30T10:00:07Z',
      per_page: '100',
    });
  });
});

describe('pickDispatchedRun', () => {
  it('takes the oldest run that was not there before the dispatch', () => {
    const runs = [
      run(4, '2026-11-30T10:00:09Z'),
      run(3, '2026-11-30T10:00:05Z'),
      run(2, '2026-11-30T09:59:59Z'),
    ];
    expect(
      pickDispatchedRun(runs, {
        ref: 'main',
        runIdsBeforeDispatch: new Set([2]),
      })?.id,
    ).toBe(3);
  });

  it('breaks a tie of creation seconds by id', () => {
    const runs = [
      run(8, '2026-11-30T10:00:05Z'),
      run(7, '2026-11-30T10:00:05Z'),
    ];
    expect(
      pickDispatchedRun(runs, { ref: 'main', runIdsBeforeDispatch: new Set() })
        ?.id,
    ).toBe(7);
  });

  it('ignores runs of another branch or event, and finds none when only old runs are listed', () => {
    const runs = [
      run(5, '2026-11-30T10:00:05Z', { head_branch: 'develop' }),
      run(6, '2026-11-30T10:00:05Z', { event: 'push' }),
      run(2, '2026-11-30T09:59:59Z'),
    ];
    expect(
      pickDispatchedRun(runs, {
        ref: 'refs/heads/main',
        runIdsBeforeDispatch: new Set([2]),
      }),
    ).toBeUndefined();
  });
});
