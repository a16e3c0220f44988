import { Entity } from '@backstage/catalog-model';
import {
  Deployment,
  ReleaseEvent,
} from 'backstage-plugin-immutable-releases-common';
import { ENGINE_ACTOR } from '../audit/AuditTrail';
import {
  approvalNotification,
  automaticRollbackNotification,
  deploymentFailedNotification,
  deploymentLink,
  deploymentNotifications,
  DeploymentSituation,
  driftUnmanagedNotification,
  mayNotifyOfDeployment,
  notificationSubject,
} from './notificationRules';

const AT = '2026-11-30T10:00:00.000Z';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';

const checkout: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { type: 'service', owner: 'payments' },
};

function deployment(fields: Partial<Deployment> = {}): Deployment {
  return {
    id: 'deployment-1',
    entityRef: 'component:default/checkout',
    environment: 'production',
    releaseId: 'release-1',
    release: {
      id: 'release-1',
      version: '1.4.0',
      artifact: {
        type: 'oci-image',
        uri: 'ghcr.io/acme/checkout',
        digest: `sha256:${'a'.repeat(64)}`,
      },
    },
    kind: 'promotion',
    status: 'pending',
    reason: 'ship the new payment page',
    requestedBy: ALICE,
    createdAt: AT,
    updatedAt: AT,
    transitions: [
      {
        status: 'pending',
        at: AT,
        actor: ALICE,
        message: 'promotion of 1.4.0 requested',
      },
    ],
    gates: [],
    approvals: [],
    executor: null,
    ...fields,
  };
}

function event(type: string, fields: Partial<ReleaseEvent> = {}): ReleaseEvent {
  return {
    id: 'event-1',
    type,
    entityRef: 'component:default/checkout',
    environment: 'production',
    releaseId: 'release-1',
    deploymentId: 'deployment-1',
    actor: ALICE,
    at: AT,
    details: {},
    ...fields,
  };
}

const twoApprovals = {
  name: 'production',
  approvals: { required: 2, allowSelfApproval: false },
};

function situation(
  overrides: Partial<DeploymentSituation> = {},
): DeploymentSituation {
  return {
    event: event('deployment.requested'),
    deployment: deployment(),
    environment: twoApprovals,
    entity: checkout,
    releaseCreatedBy: 'ci-pipeline',
    ...overrides,
  };
}

function approve(approver: string) {
  return { approver, decision: 'approve' as const, at: AT };
}

describe('approvalNotification', () => {
  it('asks the entity owner to approve a promotion that waits for approvals, linking to the deployment', () => {
    expect(approvalNotification(situation())).toEqual({
      recipients: {
        type: 'entity',
        entityRef: ['group:default/payments'],
        excludeEntityRef: [ALICE],
      },
      payload: {
        title: 'checkout 1.4.0 waits for your approval in production',
        description:
          'Requested by alice: ship the new payment page. It needs 2 approvals before it starts.',
        link: '/catalog/default/component/checkout/releases/deployments/deployment-1',
        topic: 'immutable-releases.approval-requested',
        scope: 'immutable-releases:deployment:deployment-1',
        severity: 'normal',
        metadata: {
          entityRef: 'component:default/checkout',
          environment: 'production',
          deploymentId: 'deployment-1',
          status: 'pending',
        },
      },
    });
  });

  it('asks the configured approvers instead of the owner', () => {
    const notification = approvalNotification(
      situation({
        environment: {
          name: 'production',
          approvals: {
            required: 1,
            allowSelfApproval: false,
            notify: ['group:default/release-managers', BOB],
          },
        },
      }),
    );
    expect(notification?.recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/release-managers', BOB],
      excludeEntityRef: [ALICE],
    });
    expect(notification?.payload.description).toBe(
      'Requested by alice: ship the new payment page. It needs 1 approval before it starts.',
    );
  });

  it('does not ask the requester or the release creator, unless they may approve their own', () => {
    const byCarol = situation({ releaseCreatedBy: CAROL });
    expect(approvalNotification(byCarol)?.recipients).toMatchObject({
      excludeEntityRef: [ALICE, CAROL],
    });
    expect(
      approvalNotification({
        ...byCarol,
        environment: {
          name: 'production',
          approvals: { required: 2, allowSelfApproval: true },
        },
      })?.recipients,
    ).toEqual({ type: 'entity', entityRef: ['group:default/payments'] });
  });

  it('says how many approvals are still missing after the first', () => {
    const notification = approvalNotification(
      situation({
        event: event('approval.approved', { actor: BOB }),
        deployment: deployment({ approvals: [approve(BOB)] }),
      }),
    );
    expect(notification?.payload).toMatchObject({
      title: 'checkout 1.4.0 waits for 1 more approval in production',
      description:
        'Requested by alice: ship the new payment page. Approved by bob. It needs 2 approvals before it starts.',
      scope: 'immutable-releases:deployment:deployment-1',
    });
  });

  it.each([
    [
      'approved',
      event('approval.approved', { actor: CAROL }),
      deployment({
        status: 'running',
        approvals: [approve(BOB), approve(CAROL)],
      }),
      'checkout 1.4.0 was approved for production',
      'Approved by bob and carol.',
    ],
    [
      'rejected',
      event('deployment.rejected', { actor: BOB }),
      deployment({
        status: 'rejected',
        approvals: [
          { approver: BOB, decision: 'reject', comment: 'not today', at: AT },
        ],
      }),
      'checkout 1.4.0 was rejected for production',
      'Rejected by bob: not today.',
    ],
    [
      'cancelled',
      event('deployment.cancelled', { details: { reason: 'wrong release' } }),
      deployment({
        status: 'cancelled',
        transitions: [
          {
            status: 'cancelled',
            at: AT,
            actor: ALICE,
            message: 'cancelled by user:default/alice: wrong release',
          },
        ],
      }),
      'The promotion of checkout 1.4.0 to production was cancelled',
      'Cancelled by alice: wrong release.',
    ],
    [
      'superseded',
      event('deployment.superseded', { actor: ENGINE_ACTOR }),
      deployment({ status: 'superseded', approvals: [approve(BOB)] }),
      'A newer promotion to production replaced checkout 1.4.0',
      'checkout 1.4.0 no longer waits for approval. Approved by bob.',
    ],
  ])(
    'updates the same notification once the deployment was %s',
    (_what, updateEvent, updated, title, description) => {
      const notification = approvalNotification(
        situation({ event: updateEvent, deployment: updated }),
      );
      expect(notification?.payload).toMatchObject({
        title,
        description,
        scope: 'immutable-releases:deployment:deployment-1',
        topic: 'immutable-releases.approval-requested',
      });
      expect(notification?.recipients).toEqual(
        approvalNotification(situation())?.recipients,
      );
    },
  );

  it('says nothing where no approvals are required, of rollbacks, of other events, or without anyone to ask', () => {
    expect(
      approvalNotification(
        situation({ environment: { name: 'staging', approvals: null } }),
      ),
    ).toBeUndefined();
    expect(
      approvalNotification(
        situation({ deployment: deployment({ kind: 'rollback' }) }),
      ),
    ).toBeUndefined();
    expect(
      approvalNotification(
        situation({
          event: event('deployment.succeeded'),
          deployment: deployment({ status: 'succeeded' }),
        }),
      ),
    ).toBeUndefined();
    expect(
      approvalNotification(
        situation({ entity: { ...checkout, spec: { type: 'service' } } }),
      ),
    ).toBeUndefined();
  });
});

describe('deploymentFailedNotification', () => {
  it('tells the owner that a promotion failed, with what the executor said', () => {
    expect(
      deploymentFailedNotification(
        situation({
          event: event('deployment.failed', {
            actor: ENGINE_ACTOR,
            details: { message: 'deploy failed on purpose' },
          }),
          deployment: deployment({ status: 'failed' }),
        }),
      ),
    ).toEqual({
      recipients: { type: 'entity', entityRef: ['group:default/payments'] },
      payload: {
        title: 'checkout 1.4.0 failed to deploy to production',
        description: 'Deploy failed on purpose.',
        link: '/catalog/default/component/checkout/releases/deployments/deployment-1',
        topic: 'immutable-releases.deployment-failed',
        scope: 'immutable-releases:deployment:deployment-1:failed',
        severity: 'high',
        metadata: {
          entityRef: 'component:default/checkout',
          environment: 'production',
          deploymentId: 'deployment-1',
          status: 'failed',
        },
      },
    });
  });

  it('names a failed rollback as such', () => {
    expect(
      deploymentFailedNotification(
        situation({
          event: event('deployment.failed'),
          deployment: deployment({ kind: 'rollback', status: 'failed' }),
        }),
      )?.payload.title,
    ).toBe('The rollback of checkout to 1.4.0 failed in production');
  });

  it('says nothing of other events', () => {
    expect(deploymentFailedNotification(situation())).toBeUndefined();
  });
});

describe('automaticRollbackNotification', () => {
  const automaticRollback = deployment({
    kind: 'rollback',
    requestedBy: ENGINE_ACTOR,
    reason: 'automatic rollback: verification of 1.5.0 failed',
    release: { ...deployment().release, version: '1.4.0' },
  });

  it('tells the owner that the engine rolled an environment back', () => {
    expect(
      automaticRollbackNotification(
        situation({
          event: event('deployment.requested', { actor: ENGINE_ACTOR }),
          deployment: automaticRollback,
        }),
      ),
    ).toMatchObject({
      recipients: { type: 'entity', entityRef: ['group:default/payments'] },
      payload: {
        title: 'checkout is rolled back to 1.4.0 in production automatically',
        description: 'Automatic rollback: verification of 1.5.0 failed.',
        link: '/catalog/default/component/checkout/releases/deployments/deployment-1',
        topic: 'immutable-releases.automatic-rollback',
      },
    });
  });

  it('says nothing of a rollback a person asked for', () => {
    expect(
      automaticRollbackNotification(
        situation({
          deployment: deployment({ kind: 'rollback', requestedBy: ALICE }),
        }),
      ),
    ).toBeUndefined();
  });
});

describe('driftUnmanagedNotification', () => {
  const unmanaged = event('drift.changed', {
    actor: 'observation-source:kubernetes',
    deploymentId: undefined,
    releaseId: undefined,
    details: {
      from: 'in-sync',
      to: 'unmanaged',
      observedDigest: `sha256:${'b'.repeat(64)}`,
      observedAt: AT,
      observedSource: 'kubernetes',
    },
  });

  it('tells the owner, loudly, that an environment runs something that is no release', () => {
    expect(driftUnmanagedNotification(unmanaged, checkout)).toEqual({
      recipients: { type: 'entity', entityRef: ['group:default/payments'] },
      payload: {
        title: 'checkout runs an unknown release in production',
        description: `What runs in production (sha256:${'b'.repeat(
          64,
        )}, reported by kubernetes, at ${AT}) is no release of component:default/checkout: it was changed outside Immutable Releases. Promote or roll back to a release to bring it back under control.`,
        link: '/catalog/default/component/checkout/releases',
        topic: 'immutable-releases.drift-unmanaged',
        scope: 'immutable-releases:drift:component:default/checkout:production',
        severity: 'high',
        metadata: {
          entityRef: 'component:default/checkout',
          environment: 'production',
        },
      },
    });
  });

  it('says nothing of other drift changes', () => {
    expect(
      driftUnmanagedNotification(
        { ...unmanaged, details: { ...unmanaged.details, to: 'drifted' } },
        checkout,
      ),
    ).toBeUndefined();
  });
});

describe('notificationSubject', () => {
  it.each([
    ['deployment.requested', 'deployment'],
    ['approval.approved', 'deployment'],
    ['deployment.rejected', 'deployment'],
    ['deployment.cancelled', 'deployment'],
    ['deployment.superseded', 'deployment'],
    ['deployment.failed', 'deployment'],
    ['deployment.running', undefined],
    ['deployment.succeeded', undefined],
    ['approval.rejected', undefined],
    ['release.registered', undefined],
  ])('%s is about %s', (type, subject) => {
    expect(notificationSubject(event(type))).toBe(subject);
  });

  it('is about drift only when it turned unmanaged', () => {
    expect(
      notificationSubject(
        event('drift.changed', { details: { to: 'unmanaged' } }),
      ),
    ).toBe('drift');
    expect(
      notificationSubject(
        event('drift.changed', { details: { to: 'in-sync' } }),
      ),
    ).toBeUndefined();
  });
});

describe('mayNotifyOfDeployment', () => {
  const noApprovals = { name: 'development', approvals: null };
  const automaticRollback = event('deployment.requested', {
    actor: ENGINE_ACTOR,
    details: { kind: 'rollback' },
  });

  it('looks no further where no rule can send anything', () => {
    expect(
      mayNotifyOfDeployment(event('deployment.requested'), noApprovals),
    ).toBe(false);
    expect(
      mayNotifyOfDeployment(event('deployment.superseded'), noApprovals),
    ).toBe(false);
    expect(
      mayNotifyOfDeployment(
        event('deployment.requested', { details: { kind: 'rollback' } }),
        noApprovals,
      ),
    ).toBe(false);
  });

  it('goes on for approvals, failures and automatic rollbacks', () => {
    expect(
      mayNotifyOfDeployment(event('deployment.requested'), twoApprovals),
    ).toBe(true);
    expect(
      mayNotifyOfDeployment(event('approval.approved'), twoApprovals),
    ).toBe(true);
    expect(mayNotifyOfDeployment(event('deployment.failed'), noApprovals)).toBe(
      true,
    );
    expect(mayNotifyOfDeployment(automaticRollback, noApprovals)).toBe(true);
  });

  it('lets through every event a rule sends a notification for', () => {
    const rolledBack = situation({
      event: automaticRollback,
      environment: noApprovals,
      deployment: {
        ...situation().deployment,
        kind: 'rollback',
        requestedBy: ENGINE_ACTOR,
      },
    });
    expect(deploymentNotifications(rolledBack)).toHaveLength(1);
    expect(
      mayNotifyOfDeployment(rolledBack.event, rolledBack.environment),
    ).toBe(true);
  });
});

describe('deploymentNotifications', () => {
  it('sends one notification per rule that applies', () => {
    const failed = deploymentNotifications(
      situation({
        event: event('deployment.failed'),
        deployment: deployment({ status: 'failed' }),
      }),
    );
    expect(failed.map(n => n.payload.topic)).toEqual([
      'immutable-releases.deployment-failed',
    ]);
  });
});

describe('deploymentLink', () => {
  it('points at the deployment detail route of the entity releases tab', () => {
    expect(
      deploymentLink(
        {
          ...checkout,
          kind: 'Component',
          metadata: { name: 'Checkout', namespace: 'Shop' },
        },
        'd 1',
      ),
    ).toBe('/catalog/shop/component/Checkout/releases/deployments/d%201');
  });
});
