import { CronExpressionParser } from 'cron-parser';
import { FreezeWindow } from '../../pipelines/pipelineConfig';
import { GateRule, PromotionGateSnapshot, gate } from './GateSnapshot';

/**
 * No promotion while a freeze window covers the present moment, unless the
 * request gives an override reason and the requester may override freezes.
 */
export const freezeWindow: GateRule<PromotionGateSnapshot> = ({
  environment,
  override,
  now,
}) => {
  const active = environment.freezeWindows
    .map(window => ({ window, endsAt: activeWindowEnd(window, now) }))
    .find(({ endsAt }) => endsAt !== undefined);
  if (!active) {
    return gate(
      'freeze-window',
      true,
      `${environment.name} is not in a freeze window`,
    );
  }
  const frozen = `${
    environment.name
  } is frozen until ${active.endsAt!.toISOString()} (${active.window.reason})`;
  if (!override) {
    return gate(
      'freeze-window',
      false,
      `${frozen}; an override reason is needed`,
    );
  }
  return override.permitted
    ? gate('freeze-window', true, `${frozen}; overridden: ${override.reason}`)
    : gate(
        'freeze-window',
        false,
        `${frozen}; overriding needs the immutable-releases.freeze.override permission`,
      );
};

/**
 * When the window that covers `now` ends, or undefined when none does. The
 * cron expression is read in the window's time zone, so a window that opens
 * at 18:00 opens at 18:00 local time on either side of a DST change.
 */
export function activeWindowEnd(
  window: FreezeWindow,
  now: Date,
): Date | undefined {
  const latestStart = CronExpressionParser.parse(window.cron, {
    currentDate: new Date(now.getTime() + 1),
    tz: window.timeZone,
  })
    .prev()
    .getTime();
  const end = latestStart + window.durationMs;
  return end > now.getTime() ? new Date(end) : undefined;
}
