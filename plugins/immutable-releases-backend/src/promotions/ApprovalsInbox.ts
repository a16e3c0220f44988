import { Deployment, Page } from 'backstage-plugin-immutable-releases-common';
import { AwaitingApproval } from '../database/DeploymentStore';
import {
  decodeCursor,
  encodeCursor,
  fillPageInRounds,
  PageRequest,
  pageLimit,
} from '../database/pagination';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { PipelineDefinition } from '../pipelines/pipelineConfig';
import { approvalRefusal } from './approvalRules';
import { Requester } from './context';

/** The most rows read in one round while sorting out what the caller may approve. */
const MAX_ROUND_SIZE = 400;

/** Of the given entities, those whose deployments the caller may approve. */
export type ApprovableEntities = (entityRefs: string[]) => Promise<Set<string>>;

/**
 * What waits for one person's approval: pending deployments of environments
 * that require approvals, which this person has not decided on and may
 * decide on by the rules the approval itself applies (separation of duties,
 * users only, the approve permission on the entity), newest first.
 */
export class ApprovalsInbox {
  constructor(
    private readonly options: {
      db: ReleasesDatabase;
      pipelines: ReadonlyMap<string, PipelineDefinition>;
    },
  ) {}

  async list(
    requester: Requester,
    page: PageRequest,
    approvable: ApprovableEntities,
  ): Promise<Page<Deployment>> {
    const limit = pageLimit(page.limit);
    const beforeSeq = decodeCursor(page.cursor);
    const environments = this.environmentsRequiringApprovals();
    if (!requester.isUser || environments.length === 0) {
      return { items: [], nextCursor: null };
    }
    const { items, next } = await fillPageInRounds({
      limit,
      after: beforeSeq,
      // What waits for others' approvals, and what this person requested,
      // shares the rows: read twice the page at once.
      firstRound: 2 * limit + 1,
      maxRound: MAX_ROUND_SIZE,
      read: (before, size) =>
        this.options.db.deployments.listAwaitingApproval({
          environments,
          approver: requester.actor,
          beforeSeq: before,
          limit: size,
        }),
      keep: async rows => {
        const candidates = rows.filter(row => this.mayDecide(requester, row));
        const allowed = await approvable([
          ...new Set(candidates.map(row => row.deployment.entityRef)),
        ]);
        return candidates
          .filter(row => allowed.has(row.deployment.entityRef))
          .map(row => ({ row, item: row.deployment }));
      },
      positionOf: row => row.seq,
    });
    return {
      items,
      nextCursor: next === undefined ? null : encodeCursor(next),
    };
  }

  private environmentsRequiringApprovals() {
    return [...this.options.pipelines.values()].flatMap(pipeline =>
      pipeline.environments
        .filter(environment => environment.approvals)
        .map(environment => ({
          pipeline: pipeline.name,
          environment: environment.name,
        })),
    );
  }

  /** Whether the deployment still needs approvals and the rules let this person give one. */
  private mayDecide(requester: Requester, row: AwaitingApproval): boolean {
    const environment = this.options.pipelines
      .get(row.pipeline)
      ?.environments.find(e => e.name === row.deployment.environment);
    if (!environment?.approvals) {
      return false;
    }
    const approved = row.deployment.approvals.filter(
      a => a.decision === 'approve',
    ).length;
    return (
      approved < environment.approvals.required &&
      approvalRefusal({
        approver: requester,
        deployment: row.deployment,
        release: { createdBy: row.releaseCreatedBy },
        environment,
      }) === undefined
    );
  }
}
