import { ActionItemStatus, DomainException, ErrorCode, MeetingStatus } from '@cg/contracts';
import { MeetingStep, actionItemStatus, decideMeetingStep, localDate } from './meeting-lifecycle';

function refusal(status: MeetingStatus, step: MeetingStep): ErrorCode | undefined {
  try {
    decideMeetingStep(status, step);
    return undefined;
  } catch (error) {
    return (error as DomainException).code;
  }
}

describe('the meeting lifecycle', () => {
  it('goes scheduled, held, closed', () => {
    expect(decideMeetingStep(MeetingStatus.Scheduled, MeetingStep.Hold)).toBe(MeetingStatus.Held);
    expect(decideMeetingStep(MeetingStatus.Held, MeetingStep.Close)).toBe(MeetingStatus.Closed);
  });

  it('refuses every other step with INVALID_TRANSITION', () => {
    expect(refusal(MeetingStatus.Scheduled, MeetingStep.Close)).toBe(ErrorCode.INVALID_TRANSITION);
    expect(refusal(MeetingStatus.Held, MeetingStep.Hold)).toBe(ErrorCode.INVALID_TRANSITION);
    expect(refusal(MeetingStatus.Closed, MeetingStep.Hold)).toBe(ErrorCode.INVALID_TRANSITION);
    expect(refusal(MeetingStatus.Closed, MeetingStep.Close)).toBe(ErrorCode.INVALID_TRANSITION);
    expect(refusal(MeetingStatus.Held, MeetingStep.SubmitItem)).toBe(ErrorCode.INVALID_TRANSITION);
    expect(refusal(MeetingStatus.Held, MeetingStep.Reschedule)).toBe(ErrorCode.INVALID_TRANSITION);
    expect(refusal(MeetingStatus.Scheduled, MeetingStep.TrackActionItems)).toBe(ErrorCode.INVALID_TRANSITION);
  });

  it('takes agenda items only before the meeting, and tracks action items after it, closed or not', () => {
    expect(decideMeetingStep(MeetingStatus.Scheduled, MeetingStep.SubmitItem)).toBe(MeetingStatus.Scheduled);
    expect(decideMeetingStep(MeetingStatus.Held, MeetingStep.TrackActionItems)).toBe(MeetingStatus.Held);
    expect(decideMeetingStep(MeetingStatus.Closed, MeetingStep.TrackActionItems)).toBe(MeetingStatus.Closed);
  });
});

describe('action item status', () => {
  const local = (iso: string) => new Date(`${iso}+08:00`);

  it('is open through the due date, local time, and overdue from the next local day', () => {
    expect(actionItemStatus(ActionItemStatus.Open, '2026-04-15', local('2026-04-15T23:59:59'))).toBe(
      ActionItemStatus.Open,
    );
    expect(actionItemStatus(ActionItemStatus.Open, '2026-04-15', local('2026-04-16T00:00:00'))).toBe(
      ActionItemStatus.Overdue,
    );
  });

  it('stays done after the due date', () => {
    expect(actionItemStatus(ActionItemStatus.Done, '2026-04-15', local('2026-05-01T09:00:00'))).toBe(
      ActionItemStatus.Done,
    );
  });

  it('reads the date in China time, not UTC', () => {
    expect(localDate(new Date('2026-04-15T16:30:00Z'))).toBe('2026-04-16');
  });
});
