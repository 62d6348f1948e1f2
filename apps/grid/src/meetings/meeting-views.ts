import { ActionItemView, AgendaView, MeetingSummaryView, MeetingView } from '@cg/contracts';
import { Agenda, monthPeriod } from './meeting-agenda';
import { actionItemStatus } from './meeting-lifecycle';
import { ActionItemRecord, Meeting as MeetingRecord } from './meeting.schema';

export function toMeetingSummary(record: MeetingRecord): MeetingSummaryView {
  return {
    id: String(record._id),
    communityId: String(record.communityId),
    kind: record.kind,
    ...(record.gridId && { gridId: String(record.gridId) }),
    ...(record.month && { month: record.month }),
    title: record.title,
    ...(record.location && { location: record.location }),
    scheduledAt: record.scheduledAt.toISOString(),
    status: record.status,
    version: record.version,
    ...(record.heldAt && { heldAt: record.heldAt.toISOString() }),
    ...(record.closedAt && { closedAt: record.closedAt.toISOString() }),
  };
}

export function toActionItemView(meetingId: string, item: ActionItemRecord, now: Date): ActionItemView {
  return {
    id: item.id,
    meetingId,
    decision: item.decision,
    title: item.title,
    owner: item.owner,
    dueDate: item.dueDate,
    status: actionItemStatus(item.status, item.dueDate, now),
    caseIds: item.caseIds,
    ...(item.progressNote && { progressNote: item.progressNote }),
    ...(item.doneAt && { doneAt: new Date(item.doneAt).toISOString() }),
    version: item.version,
    updatedAt: new Date(item.updatedAt).toISOString(),
    updatedBy: item.updatedBy,
  };
}

export function toAgendaView(record: MeetingRecord, agenda: Agenda, frozen: boolean): AgendaView {
  const period = record.month ? monthPeriod(record.month) : undefined;
  return {
    frozen,
    ...(period && { from: period.from.toISOString(), to: period.to.toISOString() }),
    ...agenda,
  };
}

export function toMeetingView(record: MeetingRecord, agenda: AgendaView, now: Date): MeetingView {
  const meetingId = String(record._id);
  return {
    ...toMeetingSummary(record),
    scheduledBy: record.scheduledBy,
    ...(record.topCategories !== undefined && { topCategories: record.topCategories }),
    ...(record.hotspots !== undefined && { hotspots: record.hotspots }),
    submissions: record.submissions.map((s) => ({
      ...s,
      submittedAt: new Date(s.submittedAt).toISOString(),
    })),
    agenda,
    attendees: record.attendees,
    ...(record.minutes && { minutes: record.minutes }),
    decisions: record.decisions,
    actionItems: record.actionItems.map((item) => toActionItemView(meetingId, item, now)),
  };
}
