import { ActionItemStatus, DomainException, ErrorCode, MeetingStatus } from '@cg/contracts';
import { LOCAL_OFFSET_MINUTES } from './meeting-agenda';

export enum MeetingStep {
  Reschedule = 'reschedule',
  SubmitItem = 'submit an agenda item to',
  Hold = 'hold',
  Close = 'close',
  TrackActionItems = 'update action items of',
}

/** For each step, the statuses it may be taken from and the status it leads to (undefined: unchanged). */
const STEPS: Record<MeetingStep, { from: MeetingStatus[]; to?: MeetingStatus }> = {
  [MeetingStep.Reschedule]: { from: [MeetingStatus.Scheduled] },
  [MeetingStep.SubmitItem]: { from: [MeetingStatus.Scheduled] },
  [MeetingStep.Hold]: { from: [MeetingStatus.Scheduled], to: MeetingStatus.Held },
  [MeetingStep.Close]: { from: [MeetingStatus.Held], to: MeetingStatus.Closed },
  [MeetingStep.TrackActionItems]: { from: [MeetingStatus.Held, MeetingStatus.Closed] },
};

/** The status after the step, or INVALID_TRANSITION when the meeting's status does not allow it. */
export function decideMeetingStep(status: MeetingStatus, step: MeetingStep): MeetingStatus {
  const rule = STEPS[step];
  if (!rule.from.includes(status)) {
    throw new DomainException(ErrorCode.INVALID_TRANSITION, `Cannot ${step} a meeting that is ${status}`, {
      status,
      allowedFrom: rule.from,
    });
  }
  return rule.to ?? status;
}

/** Today's local date as YYYY-MM-DD. */
export function localDate(now: Date): string {
  return new Date(now.getTime() + LOCAL_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

/** An open item is overdue from the local day after its due date; done stays done. */
export function actionItemStatus(
  stored: ActionItemStatus.Open | ActionItemStatus.Done,
  dueDate: string,
  now: Date,
): ActionItemStatus {
  if (stored === ActionItemStatus.Done) return ActionItemStatus.Done;
  return localDate(now) > dueDate ? ActionItemStatus.Overdue : ActionItemStatus.Open;
}
