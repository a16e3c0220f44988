import { Knex } from 'knex';
import { ACTIVE_DEPLOYMENT_STATUSES } from 'backstage-plugin-immutable-releases-common';
import { ClaimRacedError, TransitionRecord } from './DeploymentStore';
import { whereStatusIn } from './deploymentRows';
import { isUniqueViolation } from './errors';
import { compiledUpdateWithTransition } from './statusChanges';

/** What a claim is made of: the deployment, the lease, the transition. */
type ClaimParams = {
  deploymentId: string;
  owner: string;
  leaseExpiresAt: string;
  at: string;
  actor: string;
  message: string;
  callbackTokenHash: string | null;
  unlessRevoked: boolean;
};

const claimStatement = compiledUpdateWithTransition<ClaimParams>(
  (db, claim) => {
    const query = db('deployments')
      .where({ id: claim.deploymentId, status: 'pending' })
      // A blocking hold, set in the same transaction as the failure it
      // follows, keeps the environment's queue where it is.
      .whereNotExists(
        db('environment_holds as h')
          .select(db.raw('1'))
          .whereRaw('h.entity_ref = deployments.entity_ref')
          .whereRaw('h.environment = deployments.environment')
          .where('h.blocks_deployments', true),
      )
      // An environment occupied by a committed deployment answers false here;
      // only a claim racing another one meets the unique index.
      .whereNotExists(
        whereStatusIn(
          db('deployments as active')
            .select(db.raw('1'))
            .whereRaw('active.entity_ref = deployments.entity_ref')
            .whereRaw('active.environment = deployments.environment'),
          'active.status',
          ACTIVE_DEPLOYMENT_STATUSES,
        ),
      );
    if (claim.unlessRevoked) {
      query.whereNotExists(
        db('release_revocations as revoked')
          .select(db.raw('1'))
          .whereRaw('revoked.release_id = deployments.release_id'),
      );
    }
    return {
      query,
      columns: {
        status: 'running',
        lease_owner: claim.owner,
        lease_expires_at: claim.leaseExpiresAt,
        updated_at: claim.at,
        callback_token_hash: claim.callbackTokenHash,
      },
    };
  },
  claim => ({
    deployment_id: claim.deploymentId,
    status: 'running',
    at: claim.at,
    actor: claim.actor,
    message: claim.message,
  }),
);

/**
 * Moves a pending deployment to running, unless a committed deployment
 * occupies its environment or a blocking hold keeps the queue (and, with
 * `unlessRevoked`, unless its release is revoked). A claim racing another
 * one meets the unique index and throws `ClaimRacedError`.
 */
export async function claimPending(
  db: Knex,
  claim: {
    deploymentId: string;
    owner: string;
    leaseExpiresAt: string;
    transition: TransitionRecord;
    callbackTokenHash?: string;
  },
  { unlessRevoked }: { unlessRevoked: boolean },
): Promise<boolean> {
  try {
    return await claimStatement(db, {
      deploymentId: claim.deploymentId,
      owner: claim.owner,
      leaseExpiresAt: claim.leaseExpiresAt,
      at: claim.transition.at,
      actor: claim.transition.actor,
      message: claim.transition.message,
      callbackTokenHash: claim.callbackTokenHash ?? null,
      unlessRevoked,
    });
  } catch (error) {
    // The partial unique index refused a second active deployment.
    if (isUniqueViolation(error)) {
      throw new ClaimRacedError(claim.deploymentId);
    }
    throw error;
  }
}
