import { Injectable } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  EventEnvelope,
  GridRpc,
  MembershipEvents,
  Principal,
  RegisterResidentDto,
  Relation,
  ResidentPage,
  ResidentQueryDto,
  ResidentView,
  Role,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { assertCommunityAccess, assertRole } from '@cg/auth';
import { EventPublisher, Outbox, RpcClient } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { createHash } from 'node:crypto';
import { AccountsService } from '../accounts/accounts.service';
import { toResidentView } from './resident-view';
import { ResidenceState } from './residence-rules';
import { ResidencesService } from './residences.service';
import { Resident } from './resident.schema';
import { ResidentsRepository } from './residents.repository';

/** A stable event id for an event that may be published again: the same thing always gets the same id. */
export function derivedEventId(type: string, key: string): string {
  const h = createHash('sha256').update(`${type}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** Publishes events a hundred at a time. */
export async function publishAll(publisher: EventPublisher, events: EventEnvelope[]): Promise<void> {
  for (let i = 0; i < events.length; i += 100) {
    await Promise.all(events.slice(i, i + 100).map((event) => publisher.publish(event)));
  }
}

/** A checked row of a bulk import, with its unit resolved. */
export interface ImportedResident {
  personId: string;
  name: string;
  phone: string;
  idNumber?: string;
  unitId: string;
  buildingId: string;
  gridId: string;
  relation: Relation;
}

const REGISTRARS = [Role.CommunityStaff, Role.GridWorker, Role.DistrictAdmin];

@Injectable()
export class ResidentsService {
  constructor(
    private readonly residents: ResidentsRepository,
    private readonly accounts: AccountsService,
    private readonly residences: ResidencesService,
    private readonly rpc: RpcClient,
    private readonly publisher: EventPublisher,
    private readonly outbox: Outbox,
  ) {}

  async register(caller: Principal, communityId: string, dto: RegisterResidentDto): Promise<ResidentView> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    // The unit must exist in this community right now: ask grid, which owns the hierarchy.
    const unit = await this.rpc.send(GridRpc.getUnit, { communityId, unitId: dto.unitId });
    const personId = new Types.ObjectId();
    const community = new Types.ObjectId(communityId);
    const roles = dto.relation === Relation.Owner ? [Role.Resident, Role.Owner] : [Role.Resident];
    const account = dto.account
      ? await this.accounts.createResidentAccount(dto.account, { personId, name: dto.name, communityId: community, roles })
      : undefined;
    const resident: Resident = {
      _id: personId,
      communityId: community,
      name: dto.name,
      phone: dto.phone,
      ...(dto.idNumber && { idNumber: dto.idNumber.toUpperCase() }),
      unitId: new Types.ObjectId(unit.id),
      buildingId: new Types.ObjectId(unit.buildingId),
      gridId: new Types.ObjectId(unit.gridId),
      relation: dto.relation,
      ...(dto.dateOfBirth && { dateOfBirth: dto.dateOfBirth }),
      ...(dto.gender && { gender: dto.gender }),
      ...(account && { accountId: account._id }),
      registeredAt: new Date(),
      outbox: [
        newEvent(
          MembershipEvents.residentRegistered,
          {
            personId: String(personId),
            name: dto.name,
            unitId: unit.id,
            buildingId: unit.buildingId,
            gridId: unit.gridId,
            relation: dto.relation,
          },
          { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
        ),
      ],
    };
    let stored: Resident;
    try {
      stored = await this.residents.insert(resident);
    } catch (error) {
      if (account) await this.accounts.removeAccount(account._id);
      throw error;
    }
    void this.outbox.deliver(Resident.name, stored._id);
    // The reply to a write shows the numbers masked, whoever wrote them.
    return toResidentView(stored, await this.residences.followBuildingGrid(stored, await this.residences.stateOf(stored), caller.sub));
  }

  async get(caller: Principal, communityId: string, personId: string): Promise<ResidentView> {
    assertCommunityAccess(caller, communityId);
    if (caller.personId !== personId && !hasAnyRole(caller, [...REGISTRARS, Role.System])) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'You may only read your own record');
    }
    const resident = await this.residents.findOne({
      communityId: objectId(communityId, ErrorCode.RESIDENT_NOT_FOUND),
      _id: objectId(personId, ErrorCode.RESIDENT_NOT_FOUND),
    });
    if (!resident) throw new DomainException(ErrorCode.RESIDENT_NOT_FOUND, `No resident ${personId} in this community`);
    return toResidentView(resident, await this.residences.stateOf(resident), caller);
  }

  /**
   * Residents of the community in registration order, a page at a time; by name prefix, and by the building they
   * live in today (registered there and not moved away, or moved in since).
   */
  async list(caller: Principal, communityId: string, query: ResidentQueryDto): Promise<ResidentPage> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const buildingId = query.buildingId ? objectId(query.buildingId, ErrorCode.VALIDATION_FAILED) : undefined;
    const alsoIds = buildingId ? await this.residences.movedIntoBuilding(community, buildingId) : undefined;
    const found: { resident: Resident; state: ResidenceState }[] = [];
    let after = query.cursor ? objectId(query.cursor, ErrorCode.VALIDATION_FAILED) : undefined;
    // Someone registered into the building who has moved away is dropped, so a batch may fill less than a page.
    for (;;) {
      const batch = await this.residents.search(
        community,
        { namePrefix: query.namePrefix, ...(buildingId && { place: { buildingId }, alsoIds }) },
        after,
        limit + 1,
      );
      const states = await this.residences.statesOf(batch);
      for (const resident of batch) {
        const state = states.get(String(resident._id))!;
        if (!buildingId || state.place?.buildingId === query.buildingId) found.push({ resident, state });
      }
      if (batch.length < limit + 1 || found.length > limit) break;
      after = batch[batch.length - 1]._id;
    }
    const items = found.slice(0, limit).map(({ resident, state }) => toResidentView(resident, state, caller));
    return found.length > limit ? { items, nextCursor: items[limit - 1].id } : { items };
  }

  /**
   * Residents from a bulk import, whose rows the import has checked. Each row's person id is derived from the
   * community, unit and phone, so a row imported twice is stored once. Every given resident's
   * `residentRegistered` is then published, under an event id derived from the person id: the import writes
   * thousands of residents, and clearing an embedded outbox costs one update per document, so instead the events
   * are published after the insert, and a re-import passes the residents an earlier import stored as
   * `storedBefore`, whose events are published again in case a crash left them out; JetStream and the consumers
   * drop the repeats by event id. Returns how many were new.
   */
  async importMany(
    caller: Principal,
    communityId: string,
    residents: ImportedResident[],
    storedBefore: ImportedResident[] = [],
  ): Promise<number> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    const community = new Types.ObjectId(communityId);
    const meta = { communityId, actor: caller.sub, correlationId: currentCorrelationId() };
    let inserted = 0;
    const all = [...residents, ...storedBefore];
    for (let i = 0; i < all.length; i += 1000) {
      const chunk = all.slice(i, i + 1000);
      const stored = await this.residents.insertNew(
        chunk.slice(0, Math.max(residents.length - i, 0)).map(
          (r): Resident => ({
            _id: new Types.ObjectId(r.personId),
            communityId: community,
            name: r.name,
            phone: r.phone,
            ...(r.idNumber && { idNumber: r.idNumber }),
            unitId: new Types.ObjectId(r.unitId),
            buildingId: new Types.ObjectId(r.buildingId),
            gridId: new Types.ObjectId(r.gridId),
            relation: r.relation,
            registeredAt: new Date(),
            outbox: [],
          }),
        ),
      );
      inserted += stored.length;
      await publishAll(
        this.publisher,
        chunk.map((r) => ({
          ...newEvent(
            MembershipEvents.residentRegistered,
            {
              personId: r.personId,
              name: r.name,
              unitId: r.unitId,
              buildingId: r.buildingId,
              gridId: r.gridId,
              relation: r.relation,
            },
            meta,
          ),
          id: derivedEventId(MembershipEvents.residentRegistered.type, r.personId),
        })),
      );
    }
    return inserted;
  }

  /** Person id, unit, phone and ID number of every resident of the community, unmasked: for import checks only. */
  async identitiesOf(communityId: string): Promise<{ personId: string; unitId: string; phone: string; idNumber?: string }[]> {
    const found = [];
    for await (const r of this.residents.identities(new Types.ObjectId(communityId))) {
      found.push({
        personId: String(r._id),
        unitId: String(r.unitId),
        phone: r.phone,
        ...(r.idNumber && { idNumber: r.idNumber }),
      });
    }
    return found;
  }
}
