import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  AUDITED_EVENTS,
  AuditEntryPage,
  AuditEntryView,
  AuditQueryDto,
  AuditedEvent,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  NUMBERS_REVEALED_ACTION,
  Principal,
  REVEALS_PER_HOUR,
  RevealNumbersDto,
  RevealedNumbersView,
  Role,
} from '@cg/contracts';
import { assertCommunityAccess, assertRole } from '@cg/auth';
import { DurableConsumers } from '@cg/messaging';
import { newId, objectId } from '@cg/persistence';
import { ResidentsService } from '../residents/residents.service';
import { AuditEntry } from './audit-entry.schema';
import { AuditRepository } from './audit.repository';
import { auditConsumerName, cursorOf, entryOf, parseCursor, revealWaitSeconds } from './audit-rules';

/** Who may see a resident's full phone and ID number, one reveal at a time: the residents' committee's staff and the district. */
export const REVEALERS = [Role.CommunityStaff, Role.DistrictAdmin];
/** Who reads a community's audit log: its staff, its owners' committee and the district. */
export const AUDIT_READERS = [Role.CommunityStaff, Role.OwnersCommitteeMember, Role.DistrictAdmin];
const HOUR_MS = 3_600_000;

function toView(entry: AuditEntry): AuditEntryView {
  return {
    id: entry._id,
    communityId: String(entry.communityId),
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    object: { kind: entry.object.kind, id: entry.object.id },
    summary: entry.summary,
    ...(entry.details && { details: entry.details }),
  };
}

/**
 * The append-only audit log: audited events arrive through one durable consumer per type and are stored under their
 * event id, so redelivery stores nothing twice; a reveal of personal numbers writes its own entry before answering.
 */
@Injectable()
export class AuditService implements OnApplicationBootstrap {
  constructor(
    private readonly entries: AuditRepository,
    private readonly residents: ResidentsService,
    private readonly consumers: DurableConsumers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const audited of AUDITED_EVENTS) {
      await this.consumers.start({
        durable: auditConsumerName(audited.event.type),
        event: audited.event,
        handle: (event) => this.record(audited, [event]),
        handleBatch: (events) => this.record(audited, events),
      });
    }
  }

  private async record(audited: AuditedEvent, events: Parameters<typeof entryOf>[1][]): Promise<void> {
    const entries = events
      .map((event) => entryOf(audited, event))
      .filter((e): e is AuditEntry => e !== undefined);
    if (entries.length === 1) await this.entries.insert(entries[0]);
    else await this.entries.insertMany(entries);
  }

  /**
   * The resident's full phone and ID number. Refused past REVEALS_PER_HOUR reveals by the caller's account in the
   * last hour; the entry is stored before the numbers are read out, so a failed audit write reveals nothing.
   */
  async reveal(
    caller: Principal,
    communityId: string,
    personId: string,
    dto: RevealNumbersDto,
  ): Promise<RevealedNumbersView> {
    assertRole(caller, REVEALERS);
    assertCommunityAccess(caller, communityId);
    const resident = await this.residents.unmaskedResident(communityId, personId);
    const now = new Date();
    const recent = await this.entries.timesSince(
      caller.sub,
      NUMBERS_REVEALED_ACTION,
      new Date(now.getTime() - HOUR_MS),
      REVEALS_PER_HOUR,
    );
    const wait = revealWaitSeconds(recent, REVEALS_PER_HOUR, HOUR_MS, now);
    if (wait !== undefined) {
      throw new DomainException(
        ErrorCode.REVEAL_LIMIT_REACHED,
        `At most ${REVEALS_PER_HOUR} reveals an hour per account; retry after ${wait} s`,
        { retryAfterSeconds: wait },
      );
    }
    const id = String(newId('reveal'));
    await this.entries.insert({
      _id: id,
      communityId: resident.communityId,
      at: now,
      actor: caller.sub,
      action: NUMBERS_REVEALED_ACTION,
      object: { kind: 'resident', id: personId },
      summary: `Phone and ID number of ${resident.name} revealed for ${dto.purpose}`,
      details: { purpose: dto.purpose, reason: dto.reason },
    });
    return {
      personId,
      phone: resident.phone,
      ...(resident.idNumber && { idNumber: resident.idNumber }),
      auditEntryId: id,
      revealedAt: now.toISOString(),
    };
  }

  async list(caller: Principal, communityId: string, query: AuditQueryDto): Promise<AuditEntryPage> {
    assertRole(caller, AUDIT_READERS);
    assertCommunityAccess(caller, communityId);
    if (query.objectId && !query.objectKind) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'objectId needs objectKind', [
        { field: 'objectKind', reason: 'required with objectId' },
      ]);
    }
    const after = query.cursor ? parseCursor(query.cursor) : undefined;
    if (query.cursor && !after) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Unknown cursor', [
        { field: 'cursor', reason: 'is not a cursor of this list' },
      ]);
    }
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const found = await this.entries.find(
      {
        communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
        ...(query.objectKind && {
          object: { kind: query.objectKind, ...(query.objectId && { id: query.objectId }) },
        }),
        ...(query.actor && { actor: query.actor }),
        ...(query.action && { action: query.action }),
        ...(query.from && { from: new Date(query.from) }),
        ...(query.to && { to: new Date(query.to) }),
      },
      after,
      limit + 1,
    );
    const items = found.slice(0, limit).map(toView);
    return found.length > limit ? { items, nextCursor: cursorOf(found[limit - 1]) } : { items };
  }
}
