import { Knex } from 'knex';
import {
  ScheduledPromotion,
  ScheduledPromotionStore,
} from './ScheduledPromotionStore';

export class DatabaseScheduledPromotionStore
  implements ScheduledPromotionStore
{
  constructor(private readonly db: Knex) {}

  async schedule(promotion: ScheduledPromotion, now: string): Promise<void> {
    await this.db('scheduled_promotions')
      .insert({
        entity_ref: promotion.entityRef,
        environment: promotion.environment,
        release_id: promotion.releaseId,
        due_at: promotion.dueAt,
        created_at: now,
      })
      .onConflict(['entity_ref', 'environment', 'release_id'])
      .merge(['due_at']);
  }

  async claimDue(now: string, limit: number): Promise<ScheduledPromotion[]> {
    const due = await this.db('scheduled_promotions')
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(limit);
    const claimed: ScheduledPromotion[] = [];
    for (const row of due) {
      // Another replica may have claimed it since the select: the delete decides.
      const deleted = await this.db('scheduled_promotions')
        .where({
          entity_ref: row.entity_ref,
          environment: row.environment,
          release_id: row.release_id,
          due_at: row.due_at,
        })
        .delete();
      if (deleted === 1) {
        claimed.push({
          entityRef: row.entity_ref,
          environment: row.environment,
          releaseId: row.release_id,
          dueAt: row.due_at,
        });
      }
    }
    return claimed;
  }
}
