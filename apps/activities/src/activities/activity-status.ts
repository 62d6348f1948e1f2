import { ActivityStatus } from '@cg/contracts';

export type ActivityStep = 'publish' | 'cancel' | 'finish';

/** Draft -> published -> finished; a draft or a published activity may be cancelled. */
const STEPS: Record<ActivityStep, { from: ActivityStatus[]; to: ActivityStatus }> = {
  publish: { from: [ActivityStatus.Draft], to: ActivityStatus.Published },
  cancel: { from: [ActivityStatus.Draft, ActivityStatus.Published], to: ActivityStatus.Cancelled },
  finish: { from: [ActivityStatus.Published], to: ActivityStatus.Finished },
};

export function activityStep(step: ActivityStep): { from: ActivityStatus[]; to: ActivityStatus } {
  return STEPS[step];
}

export function canTake(step: ActivityStep, from: ActivityStatus): boolean {
  return STEPS[step].from.includes(from);
}
