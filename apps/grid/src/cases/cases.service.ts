import { Injectable } from '@nestjs/common';
import {
  ArbitrateCaseDto,
  AssignCaseDto,
  CaseAction,
  CaseListQueryDto,
  CaseLocationKind,
  CasePage,
  CaseRating,
  CaseStatisticsQueryDto,
  CaseStatisticsView,
  CaseStatus,
  CaseStepDto,
  CaseView,
  DEFAULT_PAGE_SIZE,
  DecideExtensionDto,
  DomainException,
  ErrorCode,
  EventEnvelope,
  FileCaseDto,
  GridEvents,
  NodeKind,
  PROPERTY_DEPARTMENT,
  Principal,
  RateCaseDto,
  RequestExtensionDto,
  ReturnCaseDto,
  Role,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { Outbox, pushEvents } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { CommunityFilter, escapeRegex, newId, objectId } from '@cg/persistence';
import { FilterQuery, Types, UpdateQuery } from 'mongoose';
import { HierarchyRepository } from '../hierarchy/hierarchy.repository';
import { isSatisfied } from './case-credit';
import { decideStep, lifecycleOf } from './case-lifecycle';
import { CaseScope, caseScopeFilter, inCaseScope, scopeOfStaffing } from './case-scope';
import { EMPTY_TALLY, resolvedTally, summarise } from './case-tally';
import { toCaseView } from './case-views';
import { CaseActor, CaseTransition, GridCase } from './case.schema';
import { CaseRecord, CasesRepository } from './cases.repository';
import { addWorkingDays, covers, deadlineAfter } from './sla-clock';
import { ESCALATION_LADDER, nextEscalationAt, slaTerms } from './sla-policy';
import { CalendarsService } from '../calendars/calendars.service';
import { FALLBACK_SLA_WORKING_DAYS, routedDepartment } from '../settings/settings-rules';
import { SettingsService } from '../settings/settings.service';

const FILERS = [Role.Resident, Role.Owner, Role.BuildingLeader, Role.GridWorker, ...COMMUNITY_MANAGERS];
/** Grid workers and community staff handle cases; the community alone arbitrates and grants extensions. */
const HANDLERS = [Role.GridWorker, ...COMMUNITY_MANAGERS];
/** Not yet resolved: the cases a deadline still binds. */
const OPEN_STATUSES = [
  CaseStatus.Reported,
  CaseStatus.Accepted,
  CaseStatus.Assigned,
  CaseStatus.InProgress,
  CaseStatus.Returned,
];
/** Steps a handler takes only on cases within their scope (the assignee may start and resolve their own). */
const SCOPED_STEPS = new Set([
  CaseAction.Accept,
  CaseAction.Return,
  CaseAction.Assign,
  CaseAction.Start,
  CaseAction.Resolve,
  CaseAction.RequestExtension,
]);

/** What a step changes besides status, version and history, and the events it causes. */
export interface StepEffect {
  set?: Partial<GridCase>;
  unset?: (keyof GridCase)[];
  events?: EventEnvelope[];
}

type StepBuilder = (
  record: CaseRecord,
  to: CaseStatus,
  now: Date,
  by: CaseActor,
) => StepEffect | Promise<StepEffect>;

export function actorOf(caller: Principal): CaseActor {
  return { sub: caller.sub, name: caller.name, ...(caller.personId && { personId: caller.personId }) };
}

@Injectable()
export class CasesService {
  constructor(
    private readonly cases: CasesRepository,
    private readonly hierarchy: HierarchyRepository,
    private readonly outbox: Outbox,
    private readonly calendars: CalendarsService,
    private readonly settings: SettingsService,
  ) {}

  async file(caller: Principal, communityId: string, dto: FileCaseDto): Promise<CaseView> {
    assertCommunityAccess(caller, communityId);
    assertRole(caller, FILERS);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const communityNode = await this.hierarchy.findNode({
      communityId: community,
      _id: community,
      kind: NodeKind.Community,
    });
    if (!communityNode)
      throw new DomainException(ErrorCode.COMMUNITY_NOT_FOUND, `No community ${communityId}`);
    const onUnit = dto.locationKind === CaseLocationKind.Unit;
    const code = onUnit ? ErrorCode.UNIT_NOT_FOUND : ErrorCode.NODE_NOT_FOUND;
    const place = await this.hierarchy.findNode({
      communityId: community,
      _id: objectId(dto.locationId, code),
      kind: onUnit ? NodeKind.Unit : NodeKind.Building,
    });
    if (!place || !place.gridId || !place.areaId) {
      throw new DomainException(
        code,
        `No ${onUnit ? 'unit' : 'building'} ${dto.locationId} in this community`,
        [{ field: 'locationId', reason: 'not found in this community' }],
      );
    }
    const category = await this.settings.category(communityId, dto.category);
    if (!category?.active) {
      throw new DomainException(
        ErrorCode.VALIDATION_FAILED,
        `${dto.category} is not a category this community takes`,
        [
          {
            field: 'category',
            reason: category ? 'the category is no longer active' : 'not a category of this community',
          },
        ],
      );
    }
    const department = routedDepartment(category, dto.locationKind);
    const now = new Date();
    const calendar = await this.calendars.calendarFor(communityNode.district);
    const terms = slaTerms(category.slaWorkingDays, dto.urgency);
    const dueAt = deadlineAfter(now, terms.resolve, calendar);
    const _id = newId('case');
    const reporter = actorOf(caller);
    const buildingId = onUnit ? place.buildingId! : place._id;
    const meta = { communityId, actor: caller.sub, correlationId: currentCorrelationId() };
    const outbox: EventEnvelope[] = [
      newEvent(
        GridEvents.caseFiled,
        {
          caseId: String(_id),
          category: dto.category,
          urgency: dto.urgency,
          ...(onUnit && { unitId: String(place._id) }),
          buildingId: String(buildingId),
          gridId: String(place.gridId),
          ...(department && { department }),
          ...(caller.personId && { reporterPersonId: caller.personId }),
          dueAt: dueAt.toISOString(),
        },
        meta,
      ),
    ];
    if (department === PROPERTY_DEPARTMENT) {
      outbox.push(
        newEvent(
          GridEvents.propertyCaseOpened,
          {
            caseId: String(_id),
            category: dto.category,
            description: dto.description,
            ...(onUnit && { unitId: String(place._id) }),
            buildingId: String(buildingId),
            gridId: String(place.gridId),
            reportedAt: now.toISOString(),
          },
          meta,
        ),
      );
    }
    const record: GridCase = {
      _id,
      communityId: community,
      ...(communityNode.district && { district: communityNode.district }),
      category: dto.category,
      slaWorkingDays: category.slaWorkingDays,
      ...(department && { department }),
      urgency: dto.urgency,
      description: dto.description,
      photoUrls: dto.photoUrls ?? [],
      locationKind: dto.locationKind,
      ...(onUnit && { unitId: place._id }),
      buildingId,
      ...(dto.place && { place: dto.place }),
      ...(dto.latitude !== undefined &&
        dto.longitude !== undefined && { latitude: dto.latitude, longitude: dto.longitude }),
      gridId: place.gridId,
      areaId: place.areaId,
      status: CaseStatus.Reported,
      version: 0,
      reporter,
      reportedAt: now,
      signForDueAt: deadlineAfter(now, terms.signFor, calendar),
      dueAt,
      // Past the calendar's end only weekends are known to be off: the deadline stands, marked for staff to see.
      ...(!covers(calendar, dueAt) && { deadlineProvisional: true }),
      arbitrated: false,
      reopenCount: 0,
      escalationLevel: 0,
      nextEscalationAt: nextEscalationAt(dueAt, 0),
      tally: EMPTY_TALLY,
      history: [
        {
          action: CaseAction.File,
          from: CaseStatus.Reported,
          to: CaseStatus.Reported,
          by: reporter,
          at: now,
          gridId: place.gridId,
        },
      ],
      outbox,
    };
    const stored = await this.cases.insert(record);
    void this.outbox.deliver(GridCase.name, _id);
    return toCaseView(stored, now);
  }

  async get(caller: Principal, communityId: string, caseId: string): Promise<CaseView> {
    const record = await this.load(caller, communityId, caseId);
    const mayRead =
      (hasAnyRole(caller, [...HANDLERS, Role.System]) &&
        inCaseScope(await this.scopeOf(caller, record.communityId), record)) ||
      record.reporter.sub === caller.sub ||
      (caller.personId !== undefined && record.assignee?.personId === caller.personId);
    if (!mayRead) throw new DomainException(ErrorCode.NOT_FOUND, `No case ${caseId} in this community`);
    return toCaseView(record);
  }

  /** Staff see the community's cases with filters; everyone else sees the cases they filed. */
  async list(caller: Principal, communityId: string, query: CaseListQueryDto): Promise<CasePage> {
    assertCommunityAccess(caller, communityId);
    const filter: CommunityFilter<GridCase> = {
      communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
    };
    if (!hasAnyRole(caller, [...HANDLERS, Role.System])) filter['reporter.sub'] = caller.sub;
    else
      Object.assign(
        filter,
        caseScopeFilter(await this.scopeOf(caller, filter.communityId as Types.ObjectId)),
      );
    if (query.gridId) filter.gridId = objectId(query.gridId, ErrorCode.VALIDATION_FAILED);
    if (query.buildingId) filter.buildingId = objectId(query.buildingId, ErrorCode.VALIDATION_FAILED);
    if (query.status?.length)
      filter.status = query.status.length === 1 ? query.status[0] : { $in: query.status };
    if (query.category) filter.category = query.category;
    if (query.categories?.length) filter.category = { $in: query.categories };
    if (query.assigneePersonId) filter['assignee.personId'] = query.assigneePersonId;
    if (query.from || query.to) {
      filter.reportedAt = {
        ...(query.from && { $gte: new Date(query.from) }),
        ...(query.to && { $lt: new Date(query.to) }),
      };
    }
    if (query.overdue) {
      filter.dueAt = { $lt: new Date() };
      if (!query.status?.length) filter.status = { $in: OPEN_STATUSES };
    }
    if (query.q) {
      const words = new RegExp(escapeRegex(query.q.trim()), 'i');
      filter.$and = [{ $or: [{ description: words }, { place: words }] }];
    }
    if (query.escalation) filter.escalationLevel = ESCALATION_LADDER.indexOf(query.escalation);
    const now = new Date();
    return this.cases.list(filter, { cursor: query.cursor, limit: query.limit ?? DEFAULT_PAGE_SIZE }, (doc) =>
      toCaseView(doc, now),
    );
  }

  async accept(caller: Principal, communityId: string, caseId: string, dto: CaseStepDto): Promise<CaseView> {
    assertRole(caller, HANDLERS);
    return this.step(caller, communityId, caseId, CaseAction.Accept, dto, (record, _to, now) => ({
      set: { acceptedAt: now },
      events: [
        newEvent(
          GridEvents.caseAccepted,
          {
            caseId: String(record._id),
            gridId: String(record.gridId),
            category: record.category,
            ...(record.reporter.personId && { reporterPersonId: record.reporter.personId }),
          },
          this.meta(record, caller),
        ),
      ],
    }));
  }

  async returnCase(
    caller: Principal,
    communityId: string,
    caseId: string,
    dto: ReturnCaseDto,
  ): Promise<CaseView> {
    assertRole(caller, HANDLERS);
    return this.step(
      caller,
      communityId,
      caseId,
      CaseAction.Return,
      { ...dto, note: dto.reason },
      () => ({}),
    );
  }

  async arbitrate(
    caller: Principal,
    communityId: string,
    caseId: string,
    dto: ArbitrateCaseDto,
  ): Promise<CaseView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    return this.step(caller, communityId, caseId, CaseAction.Arbitrate, dto, async (record, _to, now) => {
      const grid = await this.hierarchy.findNode({
        communityId: record.communityId,
        _id: objectId(dto.gridId, ErrorCode.NODE_NOT_FOUND),
        kind: NodeKind.Grid,
      });
      if (!grid || !grid.areaId) {
        throw new DomainException(ErrorCode.NODE_NOT_FOUND, `No grid ${dto.gridId} in this community`, [
          { field: 'gridId', reason: 'not found in this community' },
        ]);
      }
      return { set: { gridId: grid._id, areaId: grid.areaId!, arbitrated: true, acceptedAt: now } };
    });
  }

  async assign(
    caller: Principal,
    communityId: string,
    caseId: string,
    dto: AssignCaseDto,
  ): Promise<CaseView> {
    assertRole(caller, HANDLERS);
    return this.step(caller, communityId, caseId, CaseAction.Assign, dto, (record) => {
      const assignee = {
        kind: dto.assigneeKind,
        name: dto.assigneeName,
        ...(dto.assigneePersonId && { personId: dto.assigneePersonId }),
      };
      const event = newEvent(
        GridEvents.caseAssigned,
        {
          caseId: String(record._id),
          gridId: String(record.gridId),
          assigneeKind: assignee.kind,
          assigneeName: assignee.name,
          ...(assignee.personId && { assigneePersonId: assignee.personId }),
        },
        this.meta(record, caller),
      );
      return { set: { assignee }, events: [event] };
    });
  }

  async start(caller: Principal, communityId: string, caseId: string, dto: CaseStepDto): Promise<CaseView> {
    return this.step(caller, communityId, caseId, CaseAction.Start, dto, (record) => {
      this.assertHandlerOrAssignee(caller, record);
      return {};
    });
  }

  async resolve(caller: Principal, communityId: string, caseId: string, dto: CaseStepDto): Promise<CaseView> {
    return this.step(caller, communityId, caseId, CaseAction.Resolve, dto, (record, _to, now) => {
      this.assertHandlerOrAssignee(caller, record);
      const event = newEvent(
        GridEvents.caseResolved,
        {
          caseId: String(record._id),
          category: record.category,
          ...(record.assignee?.personId && { handlerPersonId: record.assignee.personId }),
          buildingId: String(record.buildingId),
          gridId: String(record.gridId),
          resolvedAt: now.toISOString(),
        },
        this.meta(record, caller),
      );
      return {
        set: {
          resolvedAt: now,
          tally: resolvedTally(record.tally, record.reportedAt, record.dueAt, now),
        },
        unset: ['nextEscalationAt', 'pendingExtension'],
        events: [event],
      };
    });
  }

  async rate(caller: Principal, communityId: string, caseId: string, dto: RateCaseDto): Promise<CaseView> {
    const note = [dto.rating, dto.comment].filter(Boolean).join(': ');
    return this.step(
      caller,
      communityId,
      caseId,
      CaseAction.Rate,
      { ...dto, note },
      async (record, to, now) => {
        if (record.reporter.sub !== caller.sub) {
          throw new DomainException(ErrorCode.FORBIDDEN, 'Only the person who filed the case may rate it');
        }
        if (to !== CaseStatus.Closed) {
          // Re-handling starts afresh: a new deadline from now, to be assigned again.
          const calendar = await this.calendars.calendarFor(record.district);
          const days = record.slaWorkingDays ?? FALLBACK_SLA_WORKING_DAYS;
          const dueAt = deadlineAfter(now, slaTerms(days, record.urgency).resolve, calendar);
          const next = nextEscalationAt(dueAt, record.escalationLevel);
          return {
            set: {
              dueAt,
              deadlineProvisional: !covers(calendar, dueAt),
              acceptedAt: now,
              reopenCount: record.reopenCount + 1,
              tally: { ...record.tally, resolved: 0, onTime: 0, resolveMinutes: 0, reopened: 1 },
              ...(next && { nextEscalationAt: next }),
            },
            unset: ['resolvedAt', 'assignee'],
            events: [
              newEvent(
                GridEvents.caseReopened,
                {
                  caseId: String(record._id),
                  gridId: String(record.gridId),
                  category: record.category,
                  ...(record.assignee?.personId && { handlerPersonId: record.assignee.personId }),
                  ...(dto.comment && { comment: dto.comment }),
                  dueAt: dueAt.toISOString(),
                },
                this.meta(record, caller),
              ),
            ],
          };
        }
        const satisfied = isSatisfied(dto.rating);
        const event = newEvent(
          GridEvents.caseClosed,
          {
            caseId: String(record._id),
            gridId: String(record.gridId),
            category: record.category,
            rating: dto.rating,
            satisfied,
            ...(dto.comment && { comment: dto.comment }),
            ...(record.reporter.personId && { reporterPersonId: record.reporter.personId }),
            ...(record.assignee?.personId && { handlerPersonId: record.assignee.personId }),
            closedAt: now.toISOString(),
          },
          this.meta(record, caller),
        );
        return {
          set: {
            rating: dto.rating,
            ...(dto.comment && { ratingComment: dto.comment }),
            closedAt: now,
            tally: { ...record.tally, rated: 1, satisfied: satisfied ? 1 : 0 },
          },
          events: [event],
        };
      },
    );
  }

  async requestExtension(
    caller: Principal,
    communityId: string,
    caseId: string,
    dto: RequestExtensionDto,
  ): Promise<CaseView> {
    assertRole(caller, HANDLERS);
    return this.step(
      caller,
      communityId,
      caseId,
      CaseAction.RequestExtension,
      { ...dto, note: dto.reason },
      (record, _to, now, by) => {
        if (now.getTime() >= record.dueAt.getTime()) {
          throw new DomainException(
            ErrorCode.OUTSIDE_WINDOW,
            'An extension must be asked for before the deadline',
          );
        }
        return {
          set: {
            pendingExtension: {
              workingDays: dto.workingDays,
              reason: dto.reason,
              requestedBy: by,
              requestedAt: now,
            },
          },
        };
      },
    );
  }

  async decideExtension(
    caller: Principal,
    communityId: string,
    caseId: string,
    dto: DecideExtensionDto,
  ): Promise<CaseView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    const action = dto.approve ? CaseAction.ApproveExtension : CaseAction.RejectExtension;
    return this.step(caller, communityId, caseId, action, dto, async (record) => {
      if (!dto.approve || !record.pendingExtension) return { unset: ['pendingExtension'] };
      const calendar = await this.calendars.calendarFor(record.district);
      const dueAt = addWorkingDays(record.dueAt, record.pendingExtension.workingDays, calendar);
      const next = nextEscalationAt(dueAt, record.escalationLevel);
      return {
        set: {
          dueAt,
          deadlineProvisional: !covers(calendar, dueAt),
          ...(next && { nextEscalationAt: next }),
        },
        unset: ['pendingExtension'],
      };
    });
  }

  async statistics(
    caller: Principal,
    communityId: string,
    query: CaseStatisticsQueryDto,
  ): Promise<CaseStatisticsView> {
    assertCommunityAccess(caller, communityId);
    assertRole(caller, HANDLERS);
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (!(from < to)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The period must end after it starts', [
        { field: 'to', reason: 'must be after from' },
      ]);
    }
    const match: CommunityFilter<GridCase> = {
      communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      reportedAt: { $gte: from, $lt: to },
    };
    if (query.gridId) match.gridId = objectId(query.gridId, ErrorCode.NODE_NOT_FOUND);
    if (query.areaId) match.areaId = objectId(query.areaId, ErrorCode.NODE_NOT_FOUND);
    const summary = summarise(await this.cases.tally(match));
    return {
      communityId,
      ...(query.areaId && { areaId: query.areaId }),
      ...(query.gridId && { gridId: query.gridId }),
      from: from.toISOString(),
      to: to.toISOString(),
      ...summary,
    };
  }

  private async load(caller: Principal, communityId: string, caseId: string): Promise<CaseRecord> {
    assertCommunityAccess(caller, communityId);
    const record = await this.cases.findOne({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(caseId, ErrorCode.NOT_FOUND),
    });
    if (!record) throw new DomainException(ErrorCode.NOT_FOUND, `No case ${caseId} in this community`);
    return record;
  }

  /**
   * Decide with the pure lifecycle on the case as read, then write the step as one update guarded by the status
   * and version it was decided on. Of two steps that read the same version exactly one lands; the other gets
   * CONFLICT (or INVALID_TRANSITION, had it read the case after the winner's step).
   */
  private async step(
    caller: Principal,
    communityId: string,
    caseId: string,
    action: CaseAction,
    dto: CaseStepDto & { rating?: CaseRating },
    build: StepBuilder,
  ): Promise<CaseView> {
    const record = await this.load(caller, communityId, caseId);
    const isAssignee = caller.personId !== undefined && record.assignee?.personId === caller.personId;
    if (
      SCOPED_STEPS.has(action) &&
      !isAssignee &&
      !inCaseScope(await this.scopeOf(caller, record.communityId), record)
    ) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'This case is outside the grids you staff');
    }
    if (dto.expectedVersion !== undefined && dto.expectedVersion !== record.version) {
      throw stale(record.version);
    }
    const { to, recordedAs } = decideStep(lifecycleOf(record), action, dto.rating);
    const now = new Date();
    const by = actorOf(caller);
    const effect = await build(record, to, now, by);
    const guard = { status: record.status, version: record.version };
    const next = await this.commit(record, guard, to, recordedAs, by, now, effect, dto.note);
    if (!next) throw stale(record.version);
    return toCaseView(next, now);
  }

  /**
   * Writes one step of `record`: status, version, the effect's fields, the history entry and the events, all in
   * one update that lands only while the case still matches `guard`. Answers the case as the step made it, or
   * undefined when the guard no longer held (another step came first).
   */
  async commit(
    record: CaseRecord,
    guard: FilterQuery<GridCase>,
    to: CaseStatus,
    recordedAs: CaseAction,
    by: CaseActor,
    now: Date,
    effect: StepEffect,
    note?: string,
  ): Promise<CaseRecord | undefined> {
    const gridId = effect.set?.gridId ?? record.gridId;
    const entry: CaseTransition = {
      action: recordedAs,
      from: record.status,
      to,
      by,
      at: now,
      gridId,
      ...(note && { note }),
    };
    const events = effect.events ?? [];
    const update: UpdateQuery<GridCase> = {
      $set: { ...effect.set, status: to },
      $inc: { version: 1 },
      $push: { history: entry, ...(events.length > 0 && pushEvents(...events).$push) },
      ...(effect.unset?.length && { $unset: Object.fromEntries(effect.unset.map((field) => [field, 1])) }),
    };
    const landed = await this.cases.applyStep(
      { communityId: record.communityId, _id: record._id, ...guard },
      update,
    );
    if (!landed) return undefined;
    if (events.length > 0) void this.outbox.deliver(GridCase.name, record._id);
    const next: CaseRecord = {
      ...record,
      ...effect.set,
      status: to,
      version: record.version + 1,
      history: [...record.history, entry],
    };
    for (const field of effect.unset ?? []) delete next[field];
    return next;
  }

  /** Community staff and the system act everywhere; a grid worker where their staff terms in force put them. */
  private async scopeOf(caller: Principal, communityId: Types.ObjectId): Promise<CaseScope> {
    if (hasAnyRole(caller, [...COMMUNITY_MANAGERS, Role.System])) return { everywhere: true };
    const personId =
      caller.personId && Types.ObjectId.isValid(caller.personId)
        ? new Types.ObjectId(caller.personId)
        : undefined;
    const staffed = await this.hierarchy.staffedBy(communityId, {
      accountId: caller.sub,
      ...(personId && { personId }),
    });
    return scopeOfStaffing(staffed.map((node) => ({ id: String(node._id), kind: node.kind })));
  }

  private assertHandlerOrAssignee(caller: Principal, record: CaseRecord): void {
    const isAssignee = caller.personId !== undefined && record.assignee?.personId === caller.personId;
    if (!isAssignee) assertRole(caller, HANDLERS);
  }

  private meta(record: CaseRecord, caller: Principal) {
    return {
      communityId: String(record.communityId),
      actor: caller.sub,
      correlationId: currentCorrelationId(),
    };
  }
}

function stale(version: number): DomainException {
  return new DomainException(
    ErrorCode.CONFLICT,
    'The case changed while you were acting on it; reload it and try again',
    {
      seenVersion: version,
    },
  );
}
