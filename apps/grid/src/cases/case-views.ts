import { CaseStatus, CaseView, DeadlineFlag } from '@cg/contracts';
import { isOpen } from './case-lifecycle';
import { CaseActor } from './case.schema';
import { CaseRecord } from './cases.repository';
import { deadlineFlag } from './sla-clock';
import { ESCALATION_LADDER } from './sla-policy';

const actor = (a: CaseActor) => ({ sub: a.sub, name: a.name, ...(a.personId && { personId: a.personId }) });

const WORST = [DeadlineFlag.Green, DeadlineFlag.Yellow, DeadlineFlag.Red];

export function flagOf(record: CaseRecord, now: Date): DeadlineFlag {
  if (!isOpen(record.status)) return DeadlineFlag.Green;
  const due = deadlineFlag(now, record.reportedAt, record.dueAt);
  if (record.status !== CaseStatus.Reported) return due;
  const signFor = deadlineFlag(now, record.reportedAt, record.signForDueAt);
  return WORST[Math.max(WORST.indexOf(due), WORST.indexOf(signFor))];
}

export function toCaseView(record: CaseRecord, now = new Date()): CaseView {
  return {
    id: String(record._id),
    communityId: String(record.communityId),
    category: record.category,
    ...(record.department && { department: record.department }),
    urgency: record.urgency,
    description: record.description,
    photoUrls: record.photoUrls ?? [],
    locationKind: record.locationKind,
    ...(record.unitId && { unitId: String(record.unitId) }),
    buildingId: String(record.buildingId),
    ...(record.place && { place: record.place }),
    ...(record.latitude !== undefined && record.longitude !== undefined && { latitude: record.latitude, longitude: record.longitude }),
    gridId: String(record.gridId),
    areaId: String(record.areaId),
    status: record.status,
    version: record.version,
    reporter: actor(record.reporter),
    reportedAt: record.reportedAt.toISOString(),
    signForDueAt: record.signForDueAt.toISOString(),
    dueAt: record.dueAt.toISOString(),
    ...(record.deadlineProvisional && { deadlineProvisional: true }),
    flag: flagOf(record, now),
    escalationLevel: ESCALATION_LADDER[record.escalationLevel],
    ...(record.assignee && { assignee: { ...record.assignee } }),
    ...(record.rating && { rating: record.rating }),
    ...(record.ratingComment && { ratingComment: record.ratingComment }),
    reopenCount: record.reopenCount,
    ...(record.pendingExtension && {
      pendingExtension: {
        workingDays: record.pendingExtension.workingDays,
        reason: record.pendingExtension.reason,
        requestedBy: actor(record.pendingExtension.requestedBy),
        requestedAt: new Date(record.pendingExtension.requestedAt).toISOString(),
      },
    }),
    ...(record.resolvedAt && { resolvedAt: record.resolvedAt.toISOString() }),
    ...(record.closedAt && { closedAt: record.closedAt.toISOString() }),
    history: (record.history ?? []).map((h) => ({
      action: h.action,
      from: h.from,
      to: h.to,
      by: actor(h.by),
      at: new Date(h.at).toISOString(),
      ...(h.note && { note: h.note }),
    })),
  };
}
