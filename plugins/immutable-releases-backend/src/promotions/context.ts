import { AuditTrail } from '../audit/AuditTrail';
import { ReleasesDatabase } from '../database/ReleasesDatabase';
import { EntityPipelines } from '../pipelines/EntityPipelines';

/** What every promotion unit works with: the stores, the pipelines, the audit trail and the clock. */
export interface PromotionsContext {
  db: ReleasesDatabase;
  entities: EntityPipelines;
  audit: AuditTrail;
  clock: () => Date;
}

/** Who asks, and what the permission system lets them do beyond the request itself. */
export interface Requester {
  actor: string;
  /** Users can approve; service principals (CI tokens, plugins) cannot. */
  isUser: boolean;
  mayOverrideFreeze?: boolean;
}
