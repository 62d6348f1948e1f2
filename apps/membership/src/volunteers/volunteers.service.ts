import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ActivitiesEvents,
  CaseResolvedData,
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
import { DurableConsumers, EventPublisher, OutboxRelay } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { KeyedLocks, objectId, toPage } from '@cg/persistence';
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { PeopleDirectory } from '../people/people.directory';
import { formatHundredths, parseHundredths } from '../quantities/hundredths';
import { assertCorrectionAllowed, pointsFor, rankVolunteers } from './ledger-rules';
import { HoursEntry, VolunteerProfile, VolunteerSettings } from './volunteer.schema';
import { StoredHoursEntry, VolunteersRepository } from './volunteers.repository';

export const SHIFTS_CONSUMER = 'membership-volunteer-shifts';
export const CASES_CONSUMER = 'membership-volunteer-cases';
export const RESIDENTS_CONSUMER = 'membership-volunteer-residents';
export const RESIDENT_MOVES_CONSUMER = 'membership-volunteer-resident-moves';

const placementLock = (personId: string) => `volunteer-placement:${personId}`;

/** How often the ledger looks for entries whose event record was never written. */
const EVENT_REPAIR_MS = 5 * 60_000;
/** Entries younger than this are left to the request or event handler that is writing them. */
const EVENT_REPAIR_MIN_AGE_MS = 60_000;
const EVENT_REPAIR_PAGE = 200;

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

/**
 * The events an entry's event record carries: its `hours recorded` event, built from the stored entry alone so
 * that whoever writes the record (the handler that inserted the entry, a redelivery, the repair) publishes the
 * same data. An entry written before events moved to their own records hands over its own outbox as it is (empty
 * once its events were published), so an event never goes out twice under two ids.
 */
function eventsOf(e: StoredHoursEntry): EventEnvelope[] {
  if (e.outbox) return e.outbox;
  return [
    newEvent(
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
    ),
  ];
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
export class VolunteersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;
  private repairTimer?: NodeJS.Timeout;
  private repairing?: Promise<number>;

  constructor(
    private readonly volunteers: VolunteersRepository,
    private readonly people: PeopleDirectory,
    private readonly consumers: DurableConsumers,
    private readonly locks: KeyedLocks,
    publisher: EventPublisher,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.relay = new OutboxRelay(volunteers.eventRecordCollection, publisher, logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.relay.start();
    this.repairTimer = setInterval(() => void this.repairLedgerEvents(), EVENT_REPAIR_MS);
    this.repairTimer.unref();
    void this.repairLedgerEvents();
    await this.consumers.start({
      durable: SHIFTS_CONSUMER,
      event: ActivitiesEvents.shiftCompleted,
      handle: (event) => this.onShiftCompleted(event),
    });
    await this.consumers.start({
      durable: CASES_CONSUMER,
      event: GridEvents.caseResolved,
      handle: (event) => this.onCaseResolved(event),
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

  async beforeApplicationShutdown(): Promise<void> {
    if (this.repairTimer) clearInterval(this.repairTimer);
    this.repairTimer = undefined;
    await this.repairing;
    await this.relay.stop();
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

  /** The person who handled a case is credited the community's hours per case; idempotent by the event id. */
  async onCaseResolved(event: EventEnvelope<CaseResolvedData>): Promise<void> {
    const { data } = event;
    if (!data.handlerPersonId) return;
    const settings = await this.settingsOf(event.communityId);
    await this.append({
      communityId: event.communityId,
      personId: data.handlerPersonId,
      hoursHundredths: settings.hoursPerCaseHundredths,
      source: HoursSource.Case,
      sourceEventId: event.id,
      sourceId: data.caseId,
      description: `Case handled: ${data.category}`,
      occurredAt: new Date(data.resolvedAt),
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
    await this.locks.run(placementLock(data.personId), () =>
      this.volunteers.placeProfile(community, personId, data.revision, place),
    );
  }

  async saveProfile(
    caller: Principal,
    communityId: string,
    personId: string,
    dto: VolunteerProfileDto,
  ): Promise<VolunteerProfileView> {
    assertCommunityAccess(caller, communityId);
    this.assertSelfOrStaff(caller, personId);
    // Under the placement lock, so a move handled meanwhile is not overwritten by the residence read here.
    const saved = await this.locks.run(placementLock(personId), async () => {
      const person = await this.people.require(communityId, personId, 'personId');
      return this.volunteers.saveProfile({
        communityId: new Types.ObjectId(communityId),
        personId: new Types.ObjectId(personId),
        name: person.name,
        skills: dto.skills.map((s) => s.trim().toLowerCase()),
        availability: dto.availability,
        buildingId: new Types.ObjectId(person.buildingId),
        gridId: new Types.ObjectId(person.gridId),
        placementRevision: person.revision ?? 0,
      });
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
    const docs = await this.volunteers.listProfiles(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      skill,
      query.cursor,
      limit,
    );
    return toPage(docs, limit, toProfileView);
  }

  async recordHours(caller: Principal, communityId: string, dto: RecordHoursDto): Promise<HoursEntryView> {
    assertRole(caller, LEDGER_KEEPERS);
    assertCommunityAccess(caller, communityId);
    await this.people.require(communityId, dto.personId, 'personId');
    const entry = await this.append({
      communityId,
      personId: dto.personId,
      hoursHundredths: parseHundredths(dto.hours),
      source: HoursSource.Manual,
      sourceEventId: `manual:${randomUUID()}`,
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
    assertCorrectionAllowed(await this.volunteers.entryTotal(community, original._id), delta);
    const entry = await this.append({
      communityId,
      personId: String(original.personId),
      hoursHundredths: delta,
      source: HoursSource.Correction,
      sourceEventId: `correction:${randomUUID()}`,
      sourceId: original.sourceId,
      description: dto.reason,
      correctsEntryId: original._id,
      occurredAt: original.occurredAt,
      recordedBy: caller.sub,
      correlationId: currentCorrelationId(),
      place: { buildingId: original.buildingId, gridId: original.gridId },
    });
    return toEntryView(entry);
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
    const [docs, total, settings] = await Promise.all([
      this.volunteers.listEntries(community, person, page.cursor, limit),
      this.volunteers.personTotal(community, person),
      this.settingsOf(communityId),
    ]);
    return {
      personId,
      totalHours: formatHundredths(total),
      points: formatHundredths(pointsFor(total, settings.pointsPerHourHundredths)),
      ...toPage(docs, limit, toEntryView),
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

  /** Publishes whatever is pending now. */
  flushOutbox(): Promise<void> {
    return this.relay.kick();
  }

  /**
   * Writes the missing event record of every entry recorded at least `minAgeMs` ago; returns how many it wrote.
   * Only a process that stopped between an entry's insert and its event record's insert leaves such an entry, and
   * an entry from another service's event gets its record again when that event is redelivered; this catches the
   * rest (staff entries and corrections, whose request is not repeated). Each entry has at most one record, so
   * two counts tell whether anything is missing, and only then are the entries walked.
   */
  async repairLedgerEvents(minAgeMs = EVENT_REPAIR_MIN_AGE_MS): Promise<number> {
    while (this.repairing) await this.repairing;
    this.repairing = this.repair(minAgeMs)
      .then((written) => {
        if (written > 0) this.logger.warn({ written }, 'wrote missing event records of the hours ledger');
        return written;
      })
      .catch((error) => {
        this.logger.warn({ err: error }, 'hours ledger event repair failed; the next run retries');
        return 0;
      })
      .finally(() => (this.repairing = undefined));
    return this.repairing;
  }

  private async repair(minAgeMs: number): Promise<number> {
    const cutoff = Types.ObjectId.createFromTime(Math.ceil((Date.now() - minAgeMs) / 1000));
    const counts = await this.volunteers.countBefore(cutoff);
    if (counts.eventRecords >= counts.entries) return 0;
    let written = 0;
    let after: Types.ObjectId | undefined;
    for (;;) {
      const page = await this.volunteers.entriesBefore(cutoff, after, EVENT_REPAIR_PAGE);
      if (page.length === 0) return written;
      const recorded = await this.volunteers.withEventRecord(page.map((e) => e._id));
      for (const entry of page) {
        if (!recorded.has(String(entry._id)) && (await this.writeEventRecord(entry))) written++;
      }
      after = page[page.length - 1]._id;
    }
  }

  /**
   * Inserts the entry's event record unless it has one, and publishes it right away. The record is written AFTER
   * the entry, so an event never announces an entry that does not exist. A process stopping in between leaves an
   * entry without its event; it is not lost: the source event of a shift or case is acknowledged only after this
   * returns, so its redelivery finds the entry stored (idempotent by the source event id) and comes here again, and
   * `repairLedgerEvents` writes the record of any other entry. `_id` of the record is the entry's, so however many
   * of these run for one entry, one record (one event id) is stored and published.
   */
  private async writeEventRecord(entry: StoredHoursEntry): Promise<boolean> {
    const written = await this.volunteers.insertEventRecord({
      _id: entry._id,
      communityId: entry.communityId,
      outbox: eventsOf(entry),
    });
    if (written) void this.relay.kick(entry._id);
    return written;
  }

  private async append(input: NewEntry): Promise<HoursEntry> {
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
    };
    const { entry: stored, inserted } = await this.volunteers.insertOnce(entry);
    if (!inserted) {
      this.logger.info(
        { sourceEventId: input.sourceEventId },
        'hours already in the ledger; duplicate ignored',
      );
    }
    // Also for a duplicate: the first delivery may have stopped before writing the entry's event record.
    await this.writeEventRecord(stored);
    return stored;
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
