import { Workload } from './kubernetesTypes';
import { rolloutProgress } from './rollout';

function workload(
  status: Workload['status'],
  spec: Partial<Workload['spec']> = {},
  generation = 2,
): Workload {
  return {
    metadata: { name: 'checkout', generation },
    spec: { replicas: 3, template: { spec: { containers: [] } }, ...spec },
    status,
  };
}

describe('rolloutProgress of a Deployment', () => {
  const done = {
    observedGeneration: 2,
    replicas: 3,
    updatedReplicas: 3,
    availableReplicas: 3,
  };

  it('is complete when every replica is updated and available and no old one is left', () => {
    expect(rolloutProgress('Deployment', workload(done))).toEqual({
      state: 'complete',
      replicas: '3 desired, 3 updated, 3 available, 3 total',
      reason: '',
    });
  });

  it.each([
    [
      { ...done, observedGeneration: 1 },
      'generation 2 not yet observed by the controller (observed 1)',
    ],
    [{ ...done, updatedReplicas: 2, replicas: 4 }, '2 of 3 replicas updated'],
    [{ ...done, replicas: 4 }, '1 old replicas still running'],
    [{ ...done, availableReplicas: 2 }, '2 of 3 updated replicas available'],
    [undefined, 'generation 2 not yet observed by the controller (observed 0)'],
  ])('is progressing while %j', (status, reason) => {
    expect(rolloutProgress('Deployment', workload(status))).toMatchObject({
      state: 'progressing',
      reason,
    });
  });

  it('fails on ProgressDeadlineExceeded', () => {
    const progress = rolloutProgress(
      'Deployment',
      workload({
        ...done,
        updatedReplicas: 1,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'timed out',
          },
        ],
      }),
    );
    expect(progress).toEqual({
      state: 'failed',
      replicas: '3 desired, 1 updated, 3 available, 3 total',
      reason: 'ProgressDeadlineExceeded: timed out',
    });
  });

  it('counts one desired replica when spec.replicas is unset', () => {
    expect(
      rolloutProgress(
        'Deployment',
        workload(
          {
            observedGeneration: 2,
            replicas: 1,
            updatedReplicas: 1,
            availableReplicas: 1,
          },
          { replicas: undefined },
        ),
      ).state,
    ).toBe('complete');
  });
});

describe('rolloutProgress of a StatefulSet', () => {
  const done = {
    observedGeneration: 2,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    currentRevision: 'r2',
    updateRevision: 'r2',
  };

  it('is complete once the current revision is the update revision and all are ready', () => {
    expect(rolloutProgress('StatefulSet', workload(done)).state).toBe(
      'complete',
    );
    expect(
      rolloutProgress(
        'StatefulSet',
        workload({ ...done, currentRevision: 'r1' }),
      ),
    ).toMatchObject({
      state: 'progressing',
      reason: 'replicas of revision r1 still running',
    });
    expect(
      rolloutProgress(
        'StatefulSet',
        workload({ ...done, availableReplicas: 2 }),
      ),
    ).toMatchObject({ state: 'progressing', reason: '2 of 3 replicas ready' });
  });

  it('waits only for the replicas above the partition', () => {
    const partitioned = {
      updateStrategy: {
        type: 'RollingUpdate',
        rollingUpdate: { partition: 2 },
      },
    };
    expect(
      rolloutProgress(
        'StatefulSet',
        workload(
          { ...done, updatedReplicas: 1, currentRevision: 'r1' },
          partitioned,
        ),
      ).state,
    ).toBe('complete');
  });

  it('fails with OnDelete, which never replaces pods by itself', () => {
    expect(
      rolloutProgress(
        'StatefulSet',
        workload(done, { updateStrategy: { type: 'OnDelete' } }),
      ),
    ).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/OnDelete/),
    });
  });
});

describe('rolloutProgress of a DaemonSet', () => {
  const done = {
    observedGeneration: 2,
    desiredNumberScheduled: 4,
    currentNumberScheduled: 4,
    updatedNumberScheduled: 4,
    numberAvailable: 4,
  };

  it('is complete when every scheduled pod is updated and available', () => {
    expect(rolloutProgress('DaemonSet', workload(done))).toEqual({
      state: 'complete',
      replicas: '4 desired, 4 updated, 4 available, 4 scheduled',
      reason: '',
    });
    expect(
      rolloutProgress(
        'DaemonSet',
        workload({ ...done, updatedNumberScheduled: 3 }),
      ),
    ).toMatchObject({ state: 'progressing', reason: '3 of 4 pods updated' });
    expect(
      rolloutProgress('DaemonSet', workload({ ...done, numberAvailable: 3 })),
    ).toMatchObject({ state: 'progressing', reason: '3 of 4 pods available' });
  });
});
