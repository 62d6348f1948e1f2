import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ActivitiesEvents,
  ActivityCancelledData,
  BallotClosedData,
  BallotClosingSoonData,
  BallotOpenedData,
  CaseClosedData,
  ConsultationCompletedData,
  ActionItemDueSoonData,
  GridHierarchyRpc,
  GridMeetingEvents,
  MembershipVolunteerEvents,
  PropertyEvents,
  StaffListScope,
  VolunteerHoursRecordedData,
  ActivitiesRpc,
  ActivityPublishedData,
  AnnouncementEvents,
  AnnouncementPublishedData,
  CaseAcceptedData,
  CaseAssignedData,
  CaseEscalatedData,
  CaseFiledData,
  CaseResolvedData,
  CaseReopenedData,
  EventContract,
  EventEnvelope,
  GridCaseRpc,
  GridEvents,
  MicroWishClaimedData,
  MicroWishConfirmedData,
  MicroWishFulfilledData,
  NoticeKind,
  RegistrationData,
  Role,
} from '@cg/contracts';
import { DurableConsumers, RpcClient } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { announcementKeys, audienceKey } from '../notices/audiences';
import { NoticeWriter } from '../notices/notice-writer.service';
import { NoticesRepository } from '../notices/notices.repository';
import { NOTIFICATIONS_OPTIONS, NotificationsOptions } from '../options';

/** One durable consumer: an event type and what it causes. */
interface Subscription {
  durable: string;
  start(consumers: DurableConsumers, guard: (event: EventEnvelope) => boolean, ackWaitMs: number): Promise<void>;
}

function on<T>(durable: string, event: EventContract<T>, handle: (event: EventEnvelope<T>) => Promise<void>): Subscription {
  return {
    durable,
    start: (consumers, guard, ackWaitMs) =>
      consumers.start({ durable, event, ackWaitMs, handle: (e) => (guard(e) ? handle(e) : Promise.resolve()) }),
  };
}

const REGISTRATION_KINDS = [
  [ActivitiesEvents.registrationConfirmed, NoticeKind.RegistrationConfirmed, 'confirmed'],
  [ActivitiesEvents.registrationWaitlisted, NoticeKind.RegistrationWaitlisted, 'waitlisted'],
  [ActivitiesEvents.registrationPromoted, NoticeKind.RegistrationPromoted, 'promoted'],
  [ActivitiesEvents.registrationCancelled, NoticeKind.RegistrationCancelled, 'cancelled'],
] as const;

/**
 * Turns domain events into notices: personal ones for the people an event names (or that can be looked up), one
 * audience notice for an announcement or an escalation. Every handler is idempotent (ids derive from the event).
 */
@Injectable()
export class EventNotices implements OnApplicationBootstrap {
  constructor(
    private readonly consumers: DurableConsumers,
    private readonly writer: NoticeWriter,
    private readonly notices: NoticesRepository,
    private readonly rpc: RpcClient,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  subscriptions(): Subscription[] {
    return [
      on('notifications-case-filed', GridEvents.caseFiled, (e) => this.onCaseFiled(e)),
      on('notifications-case-accepted', GridEvents.caseAccepted, (e) => this.onCaseAccepted(e)),
      on('notifications-case-assigned', GridEvents.caseAssigned, (e) => this.onCaseAssigned(e)),
      on('notifications-case-resolved', GridEvents.caseResolved, (e) => this.onCaseResolved(e)),
      on('notifications-case-escalated', GridEvents.caseEscalated, (e) => this.onCaseEscalated(e)),
      on('notifications-case-closed', GridEvents.caseClosed, (e) => this.onCaseClosed(e)),
      on('notifications-case-reopened', GridEvents.caseReopened, (e) => this.onCaseReopened(e)),
      on('notifications-activity-cancelled', ActivitiesEvents.activityCancelled, (e) => this.onActivityCancelled(e)),
      on('notifications-volunteer-hours-recorded', MembershipVolunteerEvents.hoursRecorded, (e) => this.onHoursRecorded(e)),
      on('notifications-consultation-completed', PropertyEvents.consultationCompleted, (e) => this.onConsultationCompleted(e)),
      on('notifications-ballot-opened', PropertyEvents.ballotOpened, (e) => this.onBallotOpened(e)),
      on('notifications-ballot-closed', PropertyEvents.ballotClosed, (e) => this.onBallotClosed(e)),
      on('notifications-ballot-closing-soon', PropertyEvents.ballotClosingSoon, (e) => this.onBallotClosingSoon(e)),
      on('notifications-action-item-due-soon', GridMeetingEvents.actionItemDueSoon, (e) => this.onActionItemDueSoon(e)),
      on('notifications-activity-published', ActivitiesEvents.activityPublished, (e) => this.onActivityPublished(e)),
      ...REGISTRATION_KINDS.map(([event, kind, name]) =>
        on(`notifications-registration-${name}`, event, (e) => this.onRegistration(e, kind)),
      ),
      on('notifications-announcement-published', AnnouncementEvents.published, (e) => this.onAnnouncement(e)),
      on('notifications-micro-wish-claimed', ActivitiesEvents.microWishClaimed, (e) => this.onWishClaimed(e)),
      on('notifications-micro-wish-fulfilled', ActivitiesEvents.microWishFulfilled, (e) => this.onWishFulfilled(e)),
      on('notifications-micro-wish-confirmed', ActivitiesEvents.microWishConfirmed, (e) => this.onWishConfirmed(e)),
    ];
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const subscription of this.subscriptions()) {
      await subscription.start(this.consumers, (event) => !this.isStale(event), this.options.ackWaitMs);
    }
  }

  /** A consumer created after the fact replays the stream: old news is nobody's notice. */
  private isStale(event: EventEnvelope): boolean {
    return Date.now() - Date.parse(event.occurredAt) > this.options.maxEventAgeMs;
  }

  async onCaseFiled(event: EventEnvelope<CaseFiledData>): Promise<void> {
    const { caseId, reporterPersonId } = event.data;
    if (reporterPersonId) {
      await this.notices.recordReporter({ _id: caseId, communityId: event.communityId, personId: reporterPersonId, category: event.data.category });
    }
  }

  async onCaseAccepted(event: EventEnvelope<CaseAcceptedData>): Promise<void> {
    const { caseId, category } = event.data;
    const personId = event.data.reporterPersonId ?? (await this.reporterOf(event.communityId, caseId)).personId;
    if (!personId) return;
    await this.writer.toPerson(event, personId, { kind: NoticeKind.CaseAccepted, params: { caseId, category }, link: { kind: 'case', id: caseId } });
  }

  async onCaseAssigned(event: EventEnvelope<CaseAssignedData>): Promise<void> {
    const { caseId, assigneeName, assigneePersonId } = event.data;
    const reporter = await this.reporterOf(event.communityId, caseId);
    const link = { kind: 'case' as const, id: caseId };
    const category = reporter.category;
    if (reporter.personId) {
      await this.writer.toPerson(event, reporter.personId, { kind: NoticeKind.CaseAssigned, params: { caseId, assigneeName, category }, link });
    }
    if (assigneePersonId && assigneePersonId !== reporter.personId) {
      await this.writer.toPerson(event, assigneePersonId, { kind: NoticeKind.CaseAssignedToYou, params: { caseId, category }, link });
    }
  }

  async onCaseResolved(event: EventEnvelope<CaseResolvedData>): Promise<void> {
    const { caseId, category } = event.data;
    const reporter = await this.reporterOf(event.communityId, caseId);
    if (!reporter.personId) return;
    await this.writer.toPerson(event, reporter.personId, {
      kind: NoticeKind.CaseResolved,
      params: { caseId, category },
      link: { kind: 'case', id: caseId },
    });
  }

  /**
   * To the staff of the level the case reached: at area level the people grid lists as the area's current staff,
   * each personally; at community or street level (or when grid names nobody) the community's staff as an audience.
   */
  async onCaseEscalated(event: EventEnvelope<CaseEscalatedData>): Promise<void> {
    const { caseId, level, areaId } = event.data;
    const draft = { kind: NoticeKind.CaseEscalated, params: { caseId, level }, link: { kind: 'case' as const, id: caseId } };
    const staff = level === 'area' ? await this.staffAt(event.communityId, areaId) : [];
    if (staff.length === 0) {
      await this.writer.toAudience(event, [audienceKey.role(event.communityId, Role.CommunityStaff)], draft);
      return;
    }
    for (const personId of staff) await this.writer.toPerson(event, personId, draft);
  }

  async onCaseClosed(event: EventEnvelope<CaseClosedData>): Promise<void> {
    const { caseId, rating } = event.data;
    const reporter = await this.reporterOf(event.communityId, caseId);
    const personId = event.data.reporterPersonId ?? reporter.personId;
    if (!personId) return;
    await this.writer.toPerson(event, personId, {
      kind: NoticeKind.CaseClosed,
      params: { caseId, category: reporter.category, rating },
      link: { kind: 'case', id: caseId },
    });
  }

  /**
   * To whoever handled the case before the reporter sent it back; when no person handled it, to the grid's current
   * staff, and when grid names nobody, to the community's staff as an audience.
   */
  async onCaseReopened(event: EventEnvelope<CaseReopenedData>): Promise<void> {
    const { caseId, gridId, category, comment, dueAt, handlerPersonId } = event.data;
    const draft = {
      kind: NoticeKind.CaseReopened,
      params: { caseId, category, comment, dueAt },
      link: { kind: 'case' as const, id: caseId },
    };
    const people = handlerPersonId ? [handlerPersonId] : await this.staffAt(event.communityId, gridId);
    if (people.length === 0) {
      await this.writer.toAudience(event, [audienceKey.role(event.communityId, Role.CommunityStaff)], draft);
      return;
    }
    for (const personId of people) await this.writer.toPerson(event, personId, draft);
  }

  /** The registrants hear of it from their registrations' cancelled events; the title is kept for those notices. */
  async onActivityCancelled(event: EventEnvelope<ActivityCancelledData>): Promise<void> {
    await this.notices.recordTitle(event.data.activityId, event.data.title);
  }

  async onHoursRecorded(event: EventEnvelope<VolunteerHoursRecordedData>): Promise<void> {
    const { personId, hours, description } = event.data;
    await this.writer.toPerson(event, personId, { kind: NoticeKind.VolunteerHoursRecorded, params: { hours, description } });
  }

  async onConsultationCompleted(event: EventEnvelope<ConsultationCompletedData>): Promise<void> {
    const { consultationId, partnerPersonId, domain, adopted } = event.data;
    await this.writer.toPerson(event, partnerPersonId, {
      kind: NoticeKind.ConsultationCompleted,
      params: { consultationId, domain, adopted: adopted === undefined ? undefined : adopted ? 'yes' : 'no' },
      link: { kind: 'consultation', id: consultationId },
    });
  }

  /** To the community's owners: an audience notice on the owner role, stored once however many owners there are. */
  async onBallotOpened(event: EventEnvelope<BallotOpenedData>): Promise<void> {
    const { ballotId, title, closesAt } = event.data;
    await this.notices.recordTitle(ballotId, title);
    await this.writer.toAudience(event, [audienceKey.role(event.communityId, Role.Owner)], {
      kind: NoticeKind.BallotOpened,
      params: { ballotId, title, closesAt },
      link: { kind: 'ballot', id: ballotId },
    });
  }

  /** Like the opening: one audience notice on the community's owner role. */
  async onBallotClosingSoon(event: EventEnvelope<BallotClosingSoonData>): Promise<void> {
    const { ballotId, title, closesAt } = event.data;
    await this.writer.toAudience(event, [audienceKey.role(event.communityId, Role.Owner)], {
      kind: NoticeKind.BallotClosingSoon,
      params: { ballotId, title, closesAt },
      link: { kind: 'ballot', id: ballotId },
    });
  }

  async onActionItemDueSoon(event: EventEnvelope<ActionItemDueSoonData>): Promise<void> {
    const { actionItemId, meetingId, title, dueOn, ownerPersonId } = event.data;
    await this.writer.toPerson(event, ownerPersonId, {
      kind: NoticeKind.ActionItemDueSoon,
      params: { actionItemId, meetingId, title, dueOn },
    });
  }

  async onBallotClosed(event: EventEnvelope<BallotClosedData>): Promise<void> {
    const { ballotId, outcome } = event.data;
    await this.writer.toAudience(event, [audienceKey.role(event.communityId, Role.Owner)], {
      kind: NoticeKind.BallotClosed,
      params: { ballotId, title: await this.notices.titleOf(ballotId), outcome },
      link: { kind: 'ballot', id: ballotId },
    });
  }

  async onActivityPublished(event: EventEnvelope<ActivityPublishedData>): Promise<void> {
    await this.notices.recordTitle(event.data.activityId, event.data.title);
  }

  async onRegistration(event: EventEnvelope<RegistrationData>, kind: NoticeKind): Promise<void> {
    const { activityId, personId, queuePosition, reason } = event.data;
    const title = await this.titleOf(event.communityId, activityId);
    await this.writer.toPerson(event, personId, {
      kind: reason === 'activity_cancelled' ? NoticeKind.ActivityCancelled : kind,
      params: { activityId, title, ...(queuePosition !== undefined && { queuePosition }) },
      link: { kind: 'activity', id: activityId },
    });
  }

  async onAnnouncement(event: EventEnvelope<AnnouncementPublishedData>): Promise<void> {
    const { announcementId, title, scope, targetIds, publishAt } = event.data;
    await this.writer.toAudience(event, announcementKeys(event.communityId, scope, targetIds), {
      kind: NoticeKind.AnnouncementPublished,
      params: { announcementId, title },
      link: { kind: 'announcement', id: announcementId },
      at: new Date(publishAt),
    });
  }

  async onWishClaimed(event: EventEnvelope<MicroWishClaimedData>): Promise<void> {
    const { wishId, claimantName } = event.data;
    const wish = await this.rpc.send(ActivitiesRpc.getMicroWish, { communityId: event.communityId, wishId });
    if (!wish.residentPersonId) return;
    await this.writer.toPerson(event, wish.residentPersonId, {
      kind: NoticeKind.MicroWishClaimed,
      params: { wishId, claimantName, what: wish.what },
      link: { kind: 'micro-wish', id: wishId },
    });
  }

  async onWishFulfilled(event: EventEnvelope<MicroWishFulfilledData>): Promise<void> {
    const { wishId, claimantName } = event.data;
    const residentPersonId =
      event.data.residentPersonId ??
      (await this.rpc.send(ActivitiesRpc.getMicroWish, { communityId: event.communityId, wishId })).residentPersonId;
    if (!residentPersonId) return;
    await this.writer.toPerson(event, residentPersonId, {
      kind: NoticeKind.MicroWishFulfilled,
      params: { wishId, claimantName },
      link: { kind: 'micro-wish', id: wishId },
    });
  }

  async onWishConfirmed(event: EventEnvelope<MicroWishConfirmedData>): Promise<void> {
    const { wishId, claimantPersonId } = event.data;
    if (!claimantPersonId) return;
    await this.writer.toPerson(event, claimantPersonId, {
      kind: NoticeKind.MicroWishConfirmed,
      params: { wishId },
      link: { kind: 'micro-wish', id: wishId },
    });
  }

  /** From the case filed event when it came first; else grid is asked (the events travel on separate consumers). */
  private async reporterOf(communityId: string, caseId: string): Promise<{ personId?: string; category?: string }> {
    const known = await this.notices.reporterOf(caseId);
    if (known) return known;
    const found = await this.rpc.send(GridCaseRpc.get, { communityId, caseId });
    const personId = found.reporter.personId;
    if (personId) await this.notices.recordReporter({ _id: caseId, communityId, personId, category: found.category });
    return { personId, category: found.category };
  }

  /** People holding a position at the node now, as grid lists them; none when grid cannot say. */
  private async staffAt(communityId: string, nodeId: string): Promise<string[]> {
    try {
      const page = await this.rpc.send(GridHierarchyRpc.listStaff, { communityId, query: { nodeId, scope: StaffListScope.Current, limit: 100 } });
      return [...new Set(page.items.map((s) => s.personId).filter((id): id is string => Boolean(id)))];
    } catch (error) {
      this.logger.warn({ err: error, nodeId }, 'staff of the escalation level unknown; community staff are told');
      return [];
    }
  }

  private async titleOf(communityId: string, activityId: string): Promise<string | undefined> {
    const known = await this.notices.titleOf(activityId);
    if (known) return known;
    try {
      const activity = await this.rpc.send(ActivitiesRpc.getActivity, { communityId, activityId });
      await this.notices.recordTitle(activityId, activity.title);
      return activity.title;
    } catch (error) {
      this.logger.warn({ err: error, activityId }, 'activity title unknown; the notice names no title');
      return undefined;
    }
  }
}
