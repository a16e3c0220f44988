/** An automatic promotion to retry once a soak time has passed. */
export interface ScheduledPromotion {
  entityRef: string;
  environment: string;
  releaseId: string;
  dueAt: string;
}

/**
 * Automatic promotions blocked only by a soak time wait here until it has
 * passed. Claiming removes the row, so each is retried by one replica.
 */
export interface ScheduledPromotionStore {
  /** Schedules the retry; one already scheduled for the same release takes the new due time. */
  schedule(promotion: ScheduledPromotion, now: string): Promise<void>;
  /** Removes and returns promotions due at `now`, oldest first, each to one caller only. */
  claimDue(now: string, limit: number): Promise<ScheduledPromotion[]>;
}
