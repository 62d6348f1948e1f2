import { Injectable } from '@nestjs/common';
import {
  ActionItemStatus,
  ActionItemView,
  AgendaView,
  CloseMeetingDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  HoldMeetingDto,
  JointBody,
  LastActionItemsQueryDto,
  LastActionItemsView,
  MeetingKind,
  MeetingListQueryDto,
  MeetingPage,
  MeetingStatus,
  MeetingView,
  NodeKind,
  Principal,
  RescheduleMeetingDto,
  Role,
  ScheduleGridMeetingDto,
  SettingsLanguage,
  ScheduleJointMeetingDto,
  SubmitAgendaItemDto,
  UpdateActionItemDto,
  hasAnyRole,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { CommunityFilter, newId, objectId } from '@cg/persistence';
import { FilterQuery, QueryOptions, Types, UpdateQuery } from 'mongoose';
import { HierarchyRepository } from '../hierarchy/hierarchy.repository';
import { SettingsService } from '../settings/settings.service';
import {
  Agenda,
  DEFAULT_AGENDA_OPTIONS,
  buildGridAgenda,
  agendaWording,
  buildJointAgenda,
  monthPeriod,
} from './meeting-agenda';
import { MeetingStep, decideMeetingStep } from './meeting-lifecycle';
import { toActionItemView, toAgendaView, toMeetingSummary, toMeetingView } from './meeting-views';
import { ActionItemRecord, Meeting, MeetingActor } from './meeting.schema';
import { MeetingRecord, MeetingsRepository } from './meetings.repository';

/** Community staff and grid workers run meetings; everyone in the community may read them. */
const ORGANISERS: readonly Role[] = [Role.GridWorker, ...COMMUNITY_MANAGERS, Role.System];
/** Besides the organisers, each body of the joint meeting submits its own items. */
const BODY_ROLES: Partial<Record<JointBody, Role>> = {
  [JointBody.OwnersCommittee]: Role.OwnersCommitteeMember,
  [JointBody.PropertyCompany]: Role.PropertyManager,
};

function actorOf(caller: Principal): MeetingActor {
  return { sub: caller.sub, name: caller.name };
}

function stale(version: number): DomainException {
  return new DomainException(
    ErrorCode.CONFLICT,
    'The meeting changed while you were acting on it; reload it and try again',
    {
      currentVersion: version,
    },
  );
}

/** One change of a meeting: the update, what must still hold for it to apply, and the meeting it leaves. */
interface MeetingChange {
  guard: FilterQuery<Meeting>;
  update: UpdateQuery<Meeting>;
  options?: Pick<QueryOptions, 'arrayFilters'>;
  after: (before: MeetingRecord) => MeetingRecord;
}

function assertVersion(record: MeetingRecord, expectedVersion: number | undefined): void {
  if (expectedVersion !== undefined && record.version !== expectedVersion) throw stale(record.version);
}

/** A change that sets fields while the status stays as read (and the version, when one is given). */
function setting(record: MeetingRecord, version: number | undefined, set: Partial<Meeting>): MeetingChange {
  return {
    guard: { status: record.status, ...(version !== undefined && { version }) },
    update: Object.keys(set).length > 0 ? { $set: set } : {},
    after: (before) => ({ ...before, ...set }),
  };
}

@Injectable()
export class MeetingsService {
  constructor(
    private readonly meetings: MeetingsRepository,
    private readonly hierarchy: HierarchyRepository,
    private readonly settings: SettingsService,
  ) {}

  async scheduleGrid(
    caller: Principal,
    communityId: string,
    dto: ScheduleGridMeetingDto,
  ): Promise<MeetingView> {
    assertCommunityAccess(caller, communityId);
    assertRole(caller, ORGANISERS);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const grid = await this.hierarchy.findNode({
      communityId: community,
      _id: objectId(dto.gridId, ErrorCode.NODE_NOT_FOUND),
      kind: NodeKind.Grid,
    });
    if (!grid) {
      throw new DomainException(ErrorCode.NODE_NOT_FOUND, `No grid ${dto.gridId} in this community`, [
        { field: 'gridId', reason: 'not found in this community' },
      ]);
    }
    const _id = newId('meeting');
    const stored = await this.meetings.insert({
      ...this.fresh(_id, community, caller, dto.scheduledAt, dto.location),
      kind: MeetingKind.GridMonthly,
      gridId: grid._id,
      month: dto.month,
      slot: `grid:${grid._id}:${dto.month}`,
      title: `${grid.name} monthly meeting, ${dto.month}`,
      topCategories: dto.topCategories ?? DEFAULT_AGENDA_OPTIONS.topCategories,
      hotspots: dto.hotspots ?? DEFAULT_AGENDA_OPTIONS.hotspots,
    });
    return this.view(stored);
  }

  async scheduleJoint(
    caller: Principal,
    communityId: string,
    dto: ScheduleJointMeetingDto,
  ): Promise<MeetingView> {
    assertCommunityAccess(caller, communityId);
    assertRole(caller, ORGANISERS);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const node = await this.hierarchy.findNode({
      communityId: community,
      _id: community,
      kind: NodeKind.Community,
    });
    if (!node) throw new DomainException(ErrorCode.COMMUNITY_NOT_FOUND, `No community ${communityId}`);
    const _id = newId('meeting');
    const stored = await this.meetings.insert({
      ...this.fresh(_id, community, caller, dto.scheduledAt, dto.location),
      kind: MeetingKind.Joint,
      slot: `joint:${_id}`,
      title: dto.title,
    });
    return this.view(stored);
  }

  async list(caller: Principal, communityId: string, query: MeetingListQueryDto): Promise<MeetingPage> {
    assertCommunityAccess(caller, communityId);
    const filter: CommunityFilter<Meeting> = {
      communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
    };
    if (query.kind) filter.kind = query.kind;
    if (query.gridId) filter.gridId = objectId(query.gridId, ErrorCode.VALIDATION_FAILED);
    if (query.status) filter.status = query.status;
    return this.meetings.list(
      filter,
      { cursor: query.cursor, limit: query.limit ?? DEFAULT_PAGE_SIZE },
      toMeetingSummary,
    );
  }

  async get(
    caller: Principal,
    communityId: string,
    meetingId: string,
    language = SettingsLanguage.English,
  ): Promise<MeetingView> {
    const known = Object.values(SettingsLanguage).includes(language) ? language : SettingsLanguage.English;
    return this.view(await this.load(caller, communityId, meetingId), known);
  }

  async reschedule(
    caller: Principal,
    communityId: string,
    meetingId: string,
    dto: RescheduleMeetingDto,
  ): Promise<MeetingView> {
    assertRole(caller, ORGANISERS);
    const next = await this.change(caller, communityId, meetingId, (record) => {
      assertVersion(record, dto.expectedVersion);
      decideMeetingStep(record.status, MeetingStep.Reschedule);
      return setting(record, dto.expectedVersion, {
        ...(dto.scheduledAt && { scheduledAt: new Date(dto.scheduledAt) }),
        ...(dto.location !== undefined && { location: dto.location }),
      });
    });
    return this.view(next);
  }

  /** Departments (grid meeting) or bodies (joint meeting) add items until the meeting is held. */
  async submitItem(
    caller: Principal,
    communityId: string,
    meetingId: string,
    dto: SubmitAgendaItemDto,
  ): Promise<MeetingView> {
    // A retried submission finds its item there and answers the meeting as it is; the guard keeps two at once to one.
    const id = String(newId('agenda-item'));
    const current = await this.load(caller, communityId, meetingId);
    if (current.submissions.some((s) => s.id === id)) return this.view(current);
    const next = await this.change(caller, communityId, meetingId, (record) => {
      if (record.kind === MeetingKind.GridMonthly) {
        assertRole(caller, ORGANISERS);
        if (!dto.department || dto.body) {
          throw new DomainException(
            ErrorCode.VALIDATION_FAILED,
            'A grid meeting takes items from departments',
            [{ field: 'department', reason: 'required for a grid meeting, and body is not allowed' }],
          );
        }
      } else {
        if (!dto.body || dto.department) {
          throw new DomainException(
            ErrorCode.VALIDATION_FAILED,
            'A joint meeting takes items from its three bodies',
            [{ field: 'body', reason: 'required for a joint meeting, and department is not allowed' }],
          );
        }
        const bodyRole = BODY_ROLES[dto.body];
        assertRole(caller, bodyRole ? [...ORGANISERS, bodyRole] : ORGANISERS);
      }
      decideMeetingStep(record.status, MeetingStep.SubmitItem);
      const submission = {
        id,
        ...(dto.department && { department: dto.department }),
        ...(dto.body && { body: dto.body }),
        title: dto.title,
        description: dto.description,
        submittedAt: new Date(),
        submittedBy: actorOf(caller),
      };
      // Pushed, not rewritten: submissions made at once all land, each on the meeting as it then is.
      return {
        guard: { status: record.status, 'submissions.id': { $ne: id } },
        update: { $push: { submissions: submission } },
        after: (before) => ({ ...before, submissions: [...before.submissions, submission] }),
      };
    });
    return this.view(next);
  }

  /** Records attendance, minutes and decisions, freezes the agenda and opens the decisions' action items. */
  async hold(
    caller: Principal,
    communityId: string,
    meetingId: string,
    dto: HoldMeetingDto,
  ): Promise<MeetingView> {
    assertRole(caller, ORGANISERS);
    const next = await this.change(caller, communityId, meetingId, async (record) => {
      assertVersion(record, dto.expectedVersion);
      const status = decideMeetingStep(record.status, MeetingStep.Hold);
      await this.assertCasesExist(record.communityId, dto);
      const now = new Date();
      const by = actorOf(caller);
      const actionItems: ActionItemRecord[] = [];
      const decisions = dto.decisions.map((decision, index) => {
        const items = decision.actionItems.map((item) => ({
          id: String(new Types.ObjectId()),
          decision: index,
          title: item.title,
          owner: { personId: item.ownerPersonId, name: item.ownerName },
          dueDate: item.dueDate,
          status: ActionItemStatus.Open as const,
          caseIds: item.caseIds ?? [],
          version: 0,
          updatedAt: now,
          updatedBy: by,
        }));
        actionItems.push(...items);
        return { text: decision.text, actionItemIds: items.map((i) => i.id) };
      });
      // The agenda is frozen from the submissions read: the version guard refuses the hold if one came since.
      return setting(record, record.version, {
        status,
        heldAt: dto.heldAt ? new Date(dto.heldAt) : now,
        agenda: await this.liveAgenda(record),
        attendees: dto.attendees.map((a) => ({ ...a })),
        minutes: dto.minutes,
        decisions,
        actionItems,
      });
    });
    return this.view(next);
  }

  async close(
    caller: Principal,
    communityId: string,
    meetingId: string,
    dto: CloseMeetingDto,
  ): Promise<MeetingView> {
    assertRole(caller, ORGANISERS);
    const next = await this.change(caller, communityId, meetingId, (record) => {
      assertVersion(record, dto.expectedVersion);
      return setting(record, dto.expectedVersion, {
        status: decideMeetingStep(record.status, MeetingStep.Close),
        closedAt: new Date(),
      });
    });
    return this.view(next);
  }

  /** The owner or an organiser updates one action item, at the item's version. */
  async updateActionItem(
    caller: Principal,
    communityId: string,
    meetingId: string,
    itemId: string,
    dto: UpdateActionItemDto,
  ): Promise<ActionItemView> {
    const organiser = hasAnyRole(caller, ORGANISERS);
    const now = new Date();
    const next = await this.change(caller, communityId, meetingId, (record) => {
      const item = record.actionItems.find((i) => i.id === itemId);
      if (!item) throw new DomainException(ErrorCode.NOT_FOUND, `No action item ${itemId} in this meeting`);
      const owner = caller.personId !== undefined && caller.personId === item.owner.personId;
      if (!organiser && !owner) {
        throw new DomainException(
          ErrorCode.FORBIDDEN,
          'Only the owner of an action item, grid workers or staff may update it',
        );
      }
      if (dto.dueDate && !organiser) {
        throw new DomainException(ErrorCode.FORBIDDEN, 'Only grid workers or staff may move a due date');
      }
      decideMeetingStep(record.status, MeetingStep.TrackActionItems);
      if (item.version !== dto.expectedVersion) {
        throw new DomainException(
          ErrorCode.CONFLICT,
          'The action item changed since you read it; reload it and try again',
          {
            currentVersion: item.version,
          },
        );
      }
      const status = dto.status ?? item.status;
      const changed: ActionItemRecord = {
        ...item,
        status,
        ...(dto.progressNote !== undefined && { progressNote: dto.progressNote }),
        ...(dto.dueDate && { dueDate: dto.dueDate }),
        version: item.version + 1,
        updatedAt: now,
        updatedBy: actorOf(caller),
      };
      if (status === ActionItemStatus.Done && item.status !== ActionItemStatus.Done) changed.doneAt = now;
      if (status === ActionItemStatus.Open) delete changed.doneAt;
      // Guarded by the item's own version, so updates of different items at once all land.
      return {
        guard: {
          status: { $in: [MeetingStatus.Held, MeetingStatus.Closed] },
          actionItems: { $elemMatch: { id: itemId, version: item.version } },
        },
        update: { $set: { 'actionItems.$[item]': changed } },
        options: { arrayFilters: [{ 'item.id': itemId }] },
        after: (before) => ({
          ...before,
          actionItems: before.actionItems.map((i) => (i.id === itemId ? changed : i)),
        }),
      };
    });
    return toActionItemView(
      meetingId,
      next.actionItems.find((i) => i.id === itemId)!,
      now,
    );
  }

  /** The grid worker's home screen: the action items of the last meeting held in the grid (or the last joint meeting). */
  async lastActionItems(
    caller: Principal,
    communityId: string,
    query: LastActionItemsQueryDto,
  ): Promise<LastActionItemsView> {
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const last = query.gridId
      ? await this.meetings.lastHeld(
          community,
          MeetingKind.GridMonthly,
          objectId(query.gridId, ErrorCode.NODE_NOT_FOUND),
        )
      : await this.meetings.lastHeld(community, MeetingKind.Joint);
    const now = new Date();
    return {
      ...(query.gridId && { gridId: query.gridId }),
      ...(last && { meeting: toMeetingSummary(last) }),
      actionItems: last ? last.actionItems.map((item) => toActionItemView(String(last._id), item, now)) : [],
    };
  }

  private fresh(
    _id: Types.ObjectId,
    communityId: Types.ObjectId,
    caller: Principal,
    scheduledAt: string,
    location?: string,
  ): Omit<Meeting, 'kind' | 'slot' | 'title'> {
    return {
      _id,
      communityId,
      scheduledAt: new Date(scheduledAt),
      ...(location && { location }),
      status: MeetingStatus.Scheduled,
      version: 0,
      scheduledBy: actorOf(caller),
      submissions: [],
      attendees: [],
      decisions: [],
      actionItems: [],
    };
  }

  private async load(caller: Principal, communityId: string, meetingId: string): Promise<MeetingRecord> {
    assertCommunityAccess(caller, communityId);
    const record = await this.meetings.findOne({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(meetingId, ErrorCode.NOT_FOUND),
    });
    if (!record) throw new DomainException(ErrorCode.NOT_FOUND, `No meeting ${meetingId} in this community`);
    return record;
  }

  /**
   * Read, decide, then write one change as one update guarded by what the decision relied on. When the guard no
   * longer holds, the decision is taken again on the meeting as it now is, to give the error it now deserves
   * (INVALID_TRANSITION, an item's CONFLICT); failing that, CONFLICT.
   */
  private async change(
    caller: Principal,
    communityId: string,
    meetingId: string,
    decide: (record: MeetingRecord) => MeetingChange | Promise<MeetingChange>,
  ): Promise<MeetingRecord> {
    const record = await this.load(caller, communityId, meetingId);
    const { guard, update, options, after } = await decide(record);
    const before = await this.meetings.change(record.communityId, record._id, guard, update, options);
    if (before) return { ...after(before), version: before.version + 1 };
    const current = await this.load(caller, communityId, meetingId);
    await decide(current);
    throw stale(current.version);
  }

  /** The grid's cases of the month and the submissions so far, as the agenda builder ranks them. */
  private async liveAgenda(record: MeetingRecord, language = SettingsLanguage.English): Promise<Agenda> {
    const submissions = record.submissions.map((s) => ({ ...s, submittedAt: new Date(s.submittedAt) }));
    if (record.kind === MeetingKind.Joint || !record.gridId || !record.month)
      return buildJointAgenda(submissions);
    const { from, to } = monthPeriod(record.month);
    const cases = await this.meetings.monthCases(record.communityId, record.gridId, from, to);
    const buildingIds = [...new Set(cases.map((c) => c.buildingId))].map((id) => new Types.ObjectId(id));
    const buildings = buildingIds.length
      ? await this.hierarchy.findNodes(record.communityId, buildingIds)
      : [];
    const labels = new Map(buildings.map((b) => [String(b._id), b.code]));
    return buildGridAgenda(
      cases,
      submissions,
      {
        topCategories: record.topCategories ?? DEFAULT_AGENDA_OPTIONS.topCategories,
        hotspots: record.hotspots ?? DEFAULT_AGENDA_OPTIONS.hotspots,
      },
      labels,
      agendaWording(await this.settings.forCommunity(String(record.communityId)), language),
    );
  }

  /** A held meeting's agenda stays as it was frozen, in the wording of that moment. */
  private async view(record: MeetingRecord, language = SettingsLanguage.English): Promise<MeetingView> {
    const agenda: AgendaView =
      record.status === MeetingStatus.Scheduled || !record.agenda
        ? toAgendaView(record, await this.liveAgenda(record, language), false)
        : toAgendaView(record, record.agenda, true);
    return toMeetingView(record, agenda, new Date());
  }

  private async assertCasesExist(communityId: Types.ObjectId, dto: HoldMeetingDto): Promise<void> {
    const wanted = [...new Set(dto.decisions.flatMap((d) => d.actionItems.flatMap((i) => i.caseIds ?? [])))];
    const found = await this.meetings.existingCaseIds(
      communityId,
      wanted.map((id) => new Types.ObjectId(id)),
    );
    const missing = wanted.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new DomainException(
        ErrorCode.NOT_FOUND,
        `No case ${missing.join(', ')} in this community`,
        missing.map(() => ({
          field: 'decisions.actionItems.caseIds',
          reason: 'not a case of this community',
        })),
      );
    }
  }
}
