import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ActivitiesEvents,
  CaseClosedData,
  CorrectHoursDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  EventEnvelope,
  GridEvents,
  HoursEntryView,
  HoursSource,
  LeaderboardQueryDto,
  LeaderboardView,
  MembershipEvents,
  MembershipVolunteerEvents,
  PageQueryDto,
  Principal,
  RecordHoursDto,
  ResidentMovedData,
  ResidentRegisteredData,
  Role,
  ShiftCompletedData,
  VolunteerHoursView,
  VolunteerPage,
  VolunteerProfileDto,
  VolunteerProfileView,
  VolunteerQueryDto,
  VolunteerSettingsDto,
  VolunteerSettingsView,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { DurableConsumers, Outbox } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { PeopleDirectory } from '../people/people.directory';
import { formatHundredths, parseHundredths } from '../quantities/hundredths';
import { assertCorrectionAllowed, pointsFor, rankVolunteers } from './ledger-rules';
import { HoursEntry, VolunteerProfile, VolunteerSettings } from './volunteer.schema';
import { VolunteersRepository } from './volunteers.repository';

export const SHIFTS_CONSUMER = 'membership-volunteer-shifts';
export const CASES_CONSUMER = 'membership-volunteer-closed-cases';
export const RESIDENTS_CONSUMER = 'membership-volunteer-residents';
export const RESIDENT_MOVES_CONSUMER = 'membership-volunteer-resident-moves';

/** Corrections of one entry decided again because others were stored meanwhile, before answering a conflict. */
const MAX_CORRECTION_ATTEMPTS = 100;
const DEFAULT_POINTS_PER_HOUR = 1000;
const DEFAULT_HOURS_PER_CASE = 100;
const DEFAULT_BOARD_SIZE = 20;
/** Staff who keep the ledger by hand and set the rates. */
const LEDGER_KEEPERS = [...COMMUNITY_MANAGERS, Role.GridWorker];

function toProfileView(p: VolunteerProfile): VolunteerProfileView {
  return {
    personId: String(p.personId),
    communityId: String(p.communityId),
    name: p.name,
    skills: p.skills,
    availability: p.availability,
    ...(p.buildingId && { buildingId: String(p.buildingId) }),
    ...(p.gridId && { gridId: String(p.gridId) }),
    updatedAt: (p.updatedAt ?? new Date()).toISOString(),
  };
}

export function toEntryView(e: HoursEntry): HoursEntryView {
  return {
    id: String(e._id),
    personId: String(e.personId),
    hours: formatHundredths(e.hoursHundredths),
    source: e.source,
    sourceEventId: e.sourceEventId,
    ...(e.sourceId && { sourceId: e.sourceId }),
    ...(e.description && { description: e.description }),
    ...(e.correctsEntryId && { correctsEntryId: String(e.correctsEntryId) }),
    ...(e.buildingId && { buildingId: String(e.buildingId) }),
    ...(e.gridId && { gridId: String(e.gridId) }),
    occurredAt: e.occurredAt.toISOString(),
    recordedAt: (e.recordedAt ?? new Date()).toISOString(),
  };
}

/** The `hours recorded` event of an entry, stored with the entry by the insert that credits it. */
function hoursRecorded(e: HoursEntry): EventEnvelope {
  return newEvent(
    MembershipVolunteerEvents.hoursRecorded,
    {
      entryId: String(e._id),
      personId: String(e.personId),
      hours: formatHundredths(e.hoursHundredths),
      source: e.source,
      ...(e.sourceId && { sourceId: e.sourceId }),
      ...(e.description && { description: e.description }),
      ...(e.correctsEntryId && { correctsEntryId: String(e.correctsEntryId) }),
      occurredAt: e.occurredAt.toISOString(),
    },
    {
      communityId: String(e.communityId),
      actor: e.recordedBy,
      correlationId: e.correlationId ?? `hours-entry:${String(e._id)}`,
    },
  );
}

interface NewEntry {
  communityId: string;
  personId: string;
  hoursHundredths: number;
  source: HoursSource;
  sourceEventId: string;
  sourceId?: string;
  description?: string;
  correctsEntryId?: Types.ObjectId;
  occurredAt: Date;
  recordedBy: string;
  correlationId: string;
  /** For corrections: the place of the entry they correct. */
  place?: { buildingId?: Types.ObjectId; gridId?: Types.ObjectId };
}

/** Volunteer profiles, the hours ledger fed by other services' events and by staff, points and leaderboards. */
@Injectable()
export class VolunteersService implements OnApplicationBootstrap {
  constructor(
    private readonly volunteers: VolunteersRepository,
    private readonly people: PeopleDirectory,
    private readonly consumers: DurableConsumers,
    private readonly outbox: Outbox,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: SHIFTS_CONSUMER,
      event: ActivitiesEvents.shiftCompleted,
      handle: (event) => this.onShiftCompleted(event),
    });
    await this.consumers.start({
      durable: CASES_CONSUMER,
      event: GridEvents.caseClosed,
      handle: (event) => this.onCaseClosed(event),
    });
    await this.consumers.start({
      durable: RESIDENTS_CONSUMER,
      event: MembershipEvents.residentRegistered,
      handle: (event) => this.onResidentRegistered(event),
    });
    await this.consumers.start({
      durable: RESIDENT_MOVES_CONSUMER,
      event: MembershipEvents.residentMoved,
      handle: (event) => this.onResidentMoved(event),
    });
  }

  /** Idempotent by the event id: a redelivered or re-published shift adds its hours once. */
  async onShiftCompleted(event: EventEnvelope<ShiftCompletedData>): Promise<void> {
    const { data } = event;
    await this.append({
      communityId: event.communityId,
      personId: data.personId,
      hoursHundredths: parseHundredths(data.hours),
      source: HoursSource.Shift,
      sourceEventId: event.id,
      sourceId: data.shiftId,
      description: `Volunteer shift ${data.shiftId}`,
      occurredAt: new Date(data.completedAt),
      recordedBy: event.actor,
      correlationId: event.correlationId,
    });
  }

  /**
   * The person who handled a case is credited the community's hours per case once the resident closes it
   * satisfied; a case sent back or closed dissatisfied credits nothing. Idempotent by the event id.
   */
  async onCaseClosed(event: EventEnvelope<CaseClosedData>): Promise<void> {
    const { data } = event;
    if (!data.handlerPersonId || data.satisfied !== true) return;
    const settings = await this.settingsOf(event.communityId);
    await this.append({
      communityId: event.communityId,
      personId: data.handlerPersonId,
      hoursHundredths: settings.hoursPerCaseHundredths,
      source: HoursSource.Case,
      sourceEventId: event.id,
      sourceId: data.caseId,
      description: `Case handled: ${data.category ?? 'case'}`,
      occurredAt: new Date(data.closedAt ?? event.occurredAt),
      recordedBy: event.actor,
      correlationId: event.correlationId,
    });
  }

  /** Hours that arrived before the person was registered get their building and grid once it is known. */
  async onResidentRegistered(event: EventEnvelope<ResidentRegisteredData>): Promise<void> {
    const { data } = event;
    await this.volunteers.placePerson(
      new Types.ObjectId(event.communityId),
      new Types.ObjectId(data.personId),
      new Types.ObjectId(data.buildingId),
      new Types.ObjectId(data.gridId),
    );
  }

  /**
   * A volunteer's profile follows them to their new building and grid; hours already earned stay where they were
   * earned. A repeated or older move changes nothing.
   */
  async onResidentMoved(event: EventEnvelope<ResidentMovedData>): Promise<void> {
    const { data } = event;
    const community = new Types.ObjectId(event.communityId);
    const personId = new Types.ObjectId(data.personId);
    const place = data.to && { buildingId: new Types.ObjectId(data.to.buildingId), gridId: new Types.ObjectId(data.to.gridId) };
    await this.volunteers.placeProfile(community, personId, data.revision, place);
  }

  async saveProfile(
    caller: Principal,
    communityId: string,
    personId: string,
    dto: VolunteerProfileDto,
  ): Promise<VolunteerProfileView> {
    assertCommunityAccess(caller, communityId);
    this.assertSelfOrStaff(caller, personId);
    const person = await this.people.require(communityId, personId, 'personId');
    // The placement is that of the residence revision read here; a later move handled meanwhile is kept.
    const saved = await this.volunteers.saveProfile({
      communityId: new Types.ObjectId(communityId),
      personId: new Types.ObjectId(personId),
      name: person.name,
      skills: dto.skills.map((s) => s.trim().toLowerCase()),
      availability: dto.availability,
      buildingId: new Types.ObjectId(person.buildingId),
      gridId: new Types.ObjectId(person.gridId),
      placementRevision: person.revision ?? 0,
    });
    return toProfileView(saved);
  }

  async getProfile(caller: Principal, communityId: string, personId: string): Promise<VolunteerProfileView> {
    assertCommunityAccess(caller, communityId);
    const found = await this.volunteers.findProfile(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      objectId(personId, ErrorCode.NOT_FOUND),
    );
    if (!found) throw new DomainException(ErrorCode.NOT_FOUND, `${personId} has no volunteer profile here`);
    return toProfileView(found);
  }

  async listProfiles(
    caller: Principal,
    communityId: string,
    query: VolunteerQueryDto,
  ): Promise<VolunteerPage> {
    assertRole(caller, LEDGER_KEEPERS);
    assertCommunityAccess(caller, communityId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const skill = query.skill?.trim().toLowerCase();
    const page = await this.volunteers.listProfiles(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      skill,
      query.cursor,
      limit,
    );
    return { ...page, items: page.items.map(toProfileView) };
  }

  async recordHours(caller: Principal, communityId: string, dto: RecordHoursDto): Promise<HoursEntryView> {
    assertRole(caller, LEDGER_KEEPERS);
    assertCommunityAccess(caller, communityId);
    await this.people.require(communityId, dto.personId, 'personId');
    const { entry } = await this.append({
      communityId,
      personId: dto.personId,
      hoursHundredths: parseHundredths(dto.hours),
      source: HoursSource.Manual,
      // A retried entry gets the same source id: recorded once.
      sourceEventId: `manual:${newId('hours-entry')}`,
      description: dto.description,
      occurredAt: dto.occurredAt ? new Date(dto.occurredAt) : new Date(),
      recordedBy: caller.sub,
      correlationId: currentCorrelationId(),
    });
    return toEntryView(entry);
  }

  async correctHours(
    caller: Principal,
    communityId: string,
    entryId: string,
    dto: CorrectHoursDto,
  ): Promise<HoursEntryView> {
    assertRole(caller, LEDGER_KEEPERS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const original = await this.volunteers.findEntry(community, objectId(entryId, ErrorCode.NOT_FOUND));
    if (!original)
      throw new DomainException(ErrorCode.NOT_FOUND, `No hours entry ${entryId} in this community`);
    if (original.source === HoursSource.Correction) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'Correct the original entry, not a correction');
    }
    const delta = parseHundredths(dto.hours);
    // The n-th correction of an entry has its own source id, so of two corrections decided against the same total
    // the unique insert takes one; the other is decided again against the total that includes the first.
    for (let attempt = 0; attempt < MAX_CORRECTION_ATTEMPTS; attempt++) {
      const { total, corrections } = await this.volunteers.correctionsOf(community, original._id);
      assertCorrectionAllowed(total, delta);
      const { entry, inserted } = await this.append({
        communityId,
        personId: String(original.personId),
        hoursHundredths: delta,
        source: HoursSource.Correction,
        sourceEventId: `correction:${String(original._id)}:${corrections + 1}`,
        sourceId: original.sourceId,
        description: dto.reason,
        correctsEntryId: original._id,
        occurredAt: original.occurredAt,
        recordedBy: caller.sub,
        correlationId: currentCorrelationId(),
        place: { buildingId: original.buildingId, gridId: original.gridId },
      });
      if (inserted) return toEntryView(entry);
    }
    throw new DomainException(ErrorCode.CONFLICT, 'The entry kept being corrected meanwhile; reload and try again');
  }

  async hoursOf(
    caller: Principal,
    communityId: string,
    personId: string,
    page: PageQueryDto,
  ): Promise<VolunteerHoursView> {
    assertCommunityAccess(caller, communityId);
    this.assertSelfOrStaff(caller, personId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const person = objectId(personId, ErrorCode.NOT_FOUND);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const [entries, total, settings] = await Promise.all([
      this.volunteers.listEntries(community, person, page.cursor, limit),
      this.volunteers.personTotal(community, person),
      this.settingsOf(communityId),
    ]);
    return {
      personId,
      totalHours: formatHundredths(total),
      points: formatHundredths(pointsFor(total, settings.pointsPerHourHundredths)),
      ...entries,
      items: entries.items.map(toEntryView),
    };
  }

  async leaderboard(
    caller: Principal,
    communityId: string,
    query: LeaderboardQueryDto,
  ): Promise<LeaderboardView> {
    assertCommunityAccess(caller, communityId);
    if (query.buildingId && query.gridId) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Rank by a building or by a grid, not both', [
        { field: 'gridId', reason: 'leave out when buildingId is given' },
      ]);
    }
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const scope = query.buildingId ? 'building' : query.gridId ? 'grid' : 'community';
    const filter = {
      communityId: community,
      ...(query.buildingId && { buildingId: objectId(query.buildingId, ErrorCode.NODE_NOT_FOUND) }),
      ...(query.gridId && { gridId: objectId(query.gridId, ErrorCode.NODE_NOT_FOUND) }),
    };
    const [totals, settings] = await Promise.all([
      this.volunteers.totalsByPerson(filter),
      this.settingsOf(communityId),
    ]);
    const ranked = rankVolunteers(
      totals.map((t) => ({ personId: String(t._id), hoursHundredths: t.total })),
      settings.pointsPerHourHundredths,
      query.limit ?? DEFAULT_BOARD_SIZE,
    );
    const names = await Promise.all(ranked.map((r) => this.people.find(communityId, r.personId)));
    return {
      scope,
      ...(scope !== 'community' && { scopeId: query.buildingId ?? query.gridId }),
      pointsPerHour: formatHundredths(settings.pointsPerHourHundredths),
      rows: ranked.map((r, i) => ({
        rank: r.rank,
        personId: r.personId,
        ...(names[i] && { name: names[i]!.name }),
        hours: formatHundredths(r.hoursHundredths),
        points: formatHundredths(r.pointsHundredths),
      })),
    };
  }

  async getSettings(caller: Principal, communityId: string): Promise<VolunteerSettingsView> {
    assertCommunityAccess(caller, communityId);
    return this.toSettingsView(communityId, await this.settingsOf(communityId));
  }

  async saveSettings(
    caller: Principal,
    communityId: string,
    dto: VolunteerSettingsDto,
  ): Promise<VolunteerSettingsView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const saved = await this.volunteers.saveSettings({
      _id: community,
      communityId: community,
      pointsPerHourHundredths: parseHundredths(dto.pointsPerHour),
      hoursPerCaseHundredths: parseHundredths(dto.hoursPerCase),
    });
    return this.toSettingsView(communityId, saved);
  }

  private async append(input: NewEntry): Promise<{ entry: HoursEntry; inserted: boolean }> {
    const community = new Types.ObjectId(input.communityId);
    const personId = new Types.ObjectId(input.personId);
    const place = input.place ?? (await this.placeOf(input.communityId, input.personId));
    const _id = new Types.ObjectId();
    const entry: HoursEntry = {
      _id,
      communityId: community,
      personId,
      hoursHundredths: input.hoursHundredths,
      source: input.source,
      sourceEventId: input.sourceEventId,
      ...(input.sourceId && { sourceId: input.sourceId }),
      ...(input.description && { description: input.description }),
      ...(input.correctsEntryId && { correctsEntryId: input.correctsEntryId }),
      ...(place.buildingId && { buildingId: place.buildingId }),
      ...(place.gridId && { gridId: place.gridId }),
      occurredAt: input.occurredAt,
      recordedBy: input.recordedBy,
      correlationId: input.correlationId,
      outbox: [],
    };
    entry.outbox = [hoursRecorded(entry)];
    const { entry: stored, inserted } = await this.volunteers.insertOnce(entry);
    if (inserted) void this.outbox.deliver(HoursEntry.name, stored._id);
    else this.logger.info({ sourceEventId: input.sourceEventId }, 'hours already in the ledger; duplicate ignored');
    return { entry: stored, inserted };
  }

  private async placeOf(
    communityId: string,
    personId: string,
  ): Promise<{ buildingId?: Types.ObjectId; gridId?: Types.ObjectId }> {
    const person = await this.people.find(communityId, personId);
    return person
      ? { buildingId: new Types.ObjectId(person.buildingId), gridId: new Types.ObjectId(person.gridId) }
      : {};
  }

  private async settingsOf(
    communityId: string,
  ): Promise<Pick<VolunteerSettings, 'pointsPerHourHundredths' | 'hoursPerCaseHundredths'>> {
    const stored = await this.volunteers.findSettings(new Types.ObjectId(communityId));
    return (
      stored ?? {
        pointsPerHourHundredths: DEFAULT_POINTS_PER_HOUR,
        hoursPerCaseHundredths: DEFAULT_HOURS_PER_CASE,
      }
    );
  }

  private toSettingsView(
    communityId: string,
    s: Pick<VolunteerSettings, 'pointsPerHourHundredths' | 'hoursPerCaseHundredths'>,
  ): VolunteerSettingsView {
    return {
      communityId,
      pointsPerHour: formatHundredths(s.pointsPerHourHundredths),
      hoursPerCase: formatHundredths(s.hoursPerCaseHundredths),
    };
  }

  private assertSelfOrStaff(caller: Principal, personId: string): void {
    if (caller.personId !== personId && !hasAnyRole(caller, [...LEDGER_KEEPERS, Role.System])) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only the volunteer or community staff may do this');
    }
  }
}
