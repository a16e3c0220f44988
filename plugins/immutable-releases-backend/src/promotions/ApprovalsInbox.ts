import { Deployment, Page } from 'backstage-plugin-immutable-releases-common';
import { AwaitingApproval } from '../database/DeploymentStore';
import {
  decodeCursor,
  encodeCursor,
  PageRequest,
  pageLimit,
} from '../database/pagination';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { PipelineDefinition } from '../pipelines/pipelineConfig';
import { approvalRefusal } from './approvalRules';
import { Requester } from './context';

/** Rows read per round while sorting out what the caller may approve. */
const ROUND_SIZE = 200;

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
    const environments = this.environmentsRequiringApprovals();
    if (!requester.isUser || environments.length === 0) {
      return { items: [], nextCursor: null };
    }
    const items: Deployment[] = [];
    let beforeSeq = decodeCursor(page.cursor);
    for (;;) {
      const rows = await this.options.db.deployments.listAwaitingApproval({
        environments,
        approver: requester.actor,
        beforeSeq,
        limit: ROUND_SIZE,
      });
      const candidates = rows.filter(row => this.mayDecide(requester, row));
      const allowed = await approvable([
        ...new Set(candidates.map(row => row.deployment.entityRef)),
      ]);
      for (const row of candidates) {
        if (!allowed.has(row.deployment.entityRef)) {
          continue;
        }
        items.push(row.deployment);
        if (items.length === limit) {
          // Whether anything the caller may approve follows is only known
          // by reading on: the next page may turn out empty.
          const readToTheEnd =
            rows.length < ROUND_SIZE && row === rows[rows.length - 1];
          return {
            items,
            nextCursor: readToTheEnd ? null : encodeCursor(row.seq),
          };
        }
      }
      if (rows.length < ROUND_SIZE) {
        return { items, nextCursor: null };
      }
      beforeSeq = rows[rows.length - 1].seq;
    }
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
