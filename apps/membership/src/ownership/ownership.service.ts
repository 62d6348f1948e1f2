import { Injectable } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  EventEnvelope,
  GridRpc,
  MembershipOwnerEvents,
  OWNER_REGISTER_READERS,
  OwnerCountsView,
  OwnerRegisterQueryDto,
  OwnershipPage,
  OwnershipView,
  Principal,
  RecordOwnershipDto,
  Role,
  UnitView,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { EventPublisher, Outbox, RpcClient } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { PeopleDirectory } from '../people/people.directory';
import { derivedEventId, publishAll } from '../residents/residents.service';
import { formatHundredths } from '../quantities/hundredths';
import { chooseExclusiveArea, countOwners, settleOwners } from './ownership-rules';
import { Ownership } from './ownership.schema';
import { OwnershipRepository, OwnershipState, PendingCommit } from './ownership.repository';

const CONCURRENT_CHANGE = 'The ownership of this unit changed at the same time; reload and try again';
/** Times a bulk import decides a unit again that others keep changing meanwhile, before giving up. */
const MAX_ATTEMPTS = 5;

/** One unit's owners from a bulk import; `ownerNames` by person id. */
export interface ImportedOwnership {
  unit: Pick<UnitView, 'id' | 'buildingId' | 'gridId' | 'code'>;
  ownership: RecordOwnershipDto;
  ownerNames: Record<string, string>;
}

export function toOwnershipView(o: Ownership): OwnershipView {
  return {
    unitId: String(o.unitId),
    communityId: String(o.communityId),
    buildingId: String(o.buildingId),
    gridId: String(o.gridId),
    unitCode: o.unitCode,
    exclusiveArea: formatHundredths(o.areaHundredths),
    areaSource: o.areaSource,
    owners: o.owners.map((owner) => ({ personId: String(owner.personId), name: owner.name })),
    voterPersonId: o.voterPersonId,
    heldByDeveloper: o.heldByDeveloper,
    headcountKey: o.headcountKey,
    revision: o.revision,
    updatedAt: (o.updatedAt ?? new Date()).toISOString(),
  };
}

function sameState(current: Ownership, next: OwnershipState): boolean {
  return (
    current.areaHundredths === next.areaHundredths &&
    current.areaSource === next.areaSource &&
    current.voterPersonId === next.voterPersonId &&
    current.heldByDeveloper === next.heldByDeveloper &&
    current.owners.map((o) => String(o.personId)).join() === next.owners.map((o) => String(o.personId)).join()
  );
}

/** The owner register: who owns each unit, with what area, who votes for it, and how owners are counted. */
@Injectable()
export class OwnershipService {
  constructor(
    private readonly ownerships: OwnershipRepository,
    private readonly people: PeopleDirectory,
    private readonly rpc: RpcClient,
    private readonly publisher: EventPublisher,
    private readonly outbox: Outbox,
  ) {}

  async record(
    caller: Principal,
    communityId: string,
    unitId: string,
    dto: RecordOwnershipDto,
  ): Promise<OwnershipView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const area = chooseExclusiveArea(dto);
    const settled = settleOwners(dto);
    const unit = await this.rpc.send(GridRpc.getUnit, { communityId, unitId });
    const owners = await Promise.all(
      settled.ownerPersonIds.map(async (personId, i) => {
        const person = await this.people.require(communityId, personId, `ownerPersonIds[${i}]`);
        return { personId: new Types.ObjectId(personId), name: person.name };
      }),
    );
    const state: OwnershipState = {
      buildingId: new Types.ObjectId(unit.buildingId),
      gridId: new Types.ObjectId(unit.gridId),
      unitCode: unit.code,
      owners,
      voterPersonId: settled.voterPersonId,
      heldByDeveloper: settled.heldByDeveloper,
      headcountKey: settled.headcountKey,
      areaHundredths: area.hundredths,
      areaSource: area.source,
      recordedBy: caller.sub,
    };
    const community = new Types.ObjectId(communityId);
    const unitOid = new Types.ObjectId(unit.id);
    const current = await this.ownerships.findUnit(community, unitOid);
    if (current && sameState(current, state)) return toOwnershipView(current);
    const event = newEvent(
      MembershipOwnerEvents.ownershipRecorded,
      {
        unitId: unit.id,
        buildingId: unit.buildingId,
        gridId: unit.gridId,
        exclusiveArea: formatHundredths(area.hundredths),
        areaSource: area.source,
        ownerPersonIds: settled.ownerPersonIds,
        voterPersonId: settled.voterPersonId,
        headcountKey: settled.headcountKey,
        revision: (current?.revision ?? 0) + 1,
        ...(settled.heldByDeveloper && { heldByDeveloper: true }),
      },
      { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
    );
    const { committed, id } = await this.ownerships.commit(community, unitOid, current, event.data.revision, state, event);
    if (!committed) throw new DomainException(ErrorCode.CONFLICT, CONCURRENT_CHANGE);
    void this.outbox.deliver(Ownership.name, id);
    return toOwnershipView({ _id: id!, communityId: community, unitId: unitOid, ...state, revision: event.data.revision, outbox: [], updatedAt: new Date() });
  }

  /**
   * The owners of record of many units at once, for a bulk import whose rows were checked and whose owners are
   * stored residents. One read of the register, then a revision per unit that changed; a unit already as given
   * gets no new revision, so the same import twice records nothing the second time. Each unit's current revision
   * is then published under an event id derived from unit and revision (clearing thousands of embedded outboxes
   * would cost an update each): a re-import publishes again whatever a crash left out, and readers drop the
   * repeats by event id or by revision.
   */
  async recordMany(
    caller: Principal,
    communityId: string,
    records: ImportedOwnership[],
  ): Promise<{ recorded: number; unchanged: number }> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const community = new Types.ObjectId(communityId);
    const current = await this.ownerships.currentOf(community);
    const meta = { communityId, actor: caller.sub, correlationId: currentCorrelationId() };
    const eventOf = (unitId: string, o: OwnershipState & { revision: number }) => ({
      ...newEvent(
        MembershipOwnerEvents.ownershipRecorded,
        {
          unitId,
          buildingId: String(o.buildingId),
          gridId: String(o.gridId),
          exclusiveArea: formatHundredths(o.areaHundredths),
          areaSource: o.areaSource,
          ownerPersonIds: o.owners.map((owner) => String(owner.personId)),
          voterPersonId: o.voterPersonId,
          headcountKey: o.headcountKey,
          revision: o.revision,
          ...(o.heldByDeveloper && { heldByDeveloper: true }),
        },
        meta,
      ),
      id: derivedEventId(MembershipOwnerEvents.ownershipRecorded.type, `${unitId}:${o.revision}`),
    });
    let recorded = 0;
    let unchanged = 0;
    for (let i = 0; i < records.length; i += 500) {
      const pending: PendingCommit[] = [];
      const settledUnits: EventEnvelope[] = [];
      for (const record of records.slice(i, i + 500)) {
        const area = chooseExclusiveArea(record.ownership);
        const settled = settleOwners(record.ownership);
        const state: OwnershipState = {
          buildingId: new Types.ObjectId(record.unit.buildingId),
          gridId: new Types.ObjectId(record.unit.gridId),
          unitCode: record.unit.code,
          owners: settled.ownerPersonIds.map((personId) => ({
            personId: new Types.ObjectId(personId),
            name: record.ownerNames[personId] ?? '',
          })),
          voterPersonId: settled.voterPersonId,
          heldByDeveloper: settled.heldByDeveloper,
          headcountKey: settled.headcountKey,
          areaHundredths: area.hundredths,
          areaSource: area.source,
          recordedBy: caller.sub,
        };
        const now = current.get(record.unit.id);
        if (now && sameState(now, state)) {
          unchanged += 1;
          settledUnits.push(eventOf(record.unit.id, now));
          continue;
        }
        const revision = (now?.revision ?? 0) + 1;
        pending.push({
          unitId: new Types.ObjectId(record.unit.id),
          revision,
          state,
          ...(now && { current: now }),
          event: eventOf(record.unit.id, { ...state, revision }),
        });
      }
      const { committed, conflicts } = await this.ownerships.commitMany(community, pending);
      await publishAll(this.publisher, [...committed.map((c) => c.event), ...settledUnits]);
      recorded += committed.length;
      // Someone else changed the unit meanwhile: decide it again against what is stored now.
      for (const conflict of conflicts) {
        for (let attempt = 0; ; attempt++) {
          const stored = await this.ownerships.findUnit(community, conflict.unitId);
          if (stored && sameState(stored, conflict.state)) {
            unchanged += 1;
            await publishAll(this.publisher, [eventOf(String(conflict.unitId), stored)]);
            break;
          }
          const revision = (stored?.revision ?? 0) + 1;
          const { committed: done } = await this.ownerships.commit(community, conflict.unitId, stored, revision, conflict.state);
          if (done) {
            recorded += 1;
            await publishAll(this.publisher, [eventOf(String(conflict.unitId), { ...conflict.state, revision })]);
            break;
          }
          if (attempt >= MAX_ATTEMPTS) throw new DomainException(ErrorCode.CONFLICT, CONCURRENT_CHANGE);
        }
      }
    }
    return { recorded, unchanged };
  }

  async get(caller: Principal, communityId: string, unitId: string): Promise<OwnershipView> {
    this.assertReader(caller, communityId);
    const found = await this.ownerships.findUnit(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      objectId(unitId, ErrorCode.UNIT_NOT_FOUND),
    );
    if (!found) throw new DomainException(ErrorCode.NOT_FOUND, `No owners are recorded for unit ${unitId}`);
    return toOwnershipView(found);
  }

  async register(
    caller: Principal,
    communityId: string,
    query: OwnerRegisterQueryDto,
  ): Promise<OwnershipPage> {
    this.assertReader(caller, communityId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.ownerships.list(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      query.buildingId ? objectId(query.buildingId, ErrorCode.NODE_NOT_FOUND) : undefined,
      query.cursor,
      limit,
    );
    return { ...page, items: page.items.map(toOwnershipView) };
  }

  async counts(caller: Principal, communityId: string): Promise<OwnerCountsView> {
    this.assertReader(caller, communityId);
    const units = [];
    for await (const unit of this.ownerships.countedUnits(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
    )) {
      units.push(unit);
    }
    const counts = countOwners(units);
    return { units: counts.units, owners: counts.owners, totalArea: formatHundredths(counts.areaHundredths) };
  }

  private assertReader(caller: Principal, communityId: string): void {
    assertCommunityAccess(caller, communityId);
    if (!hasAnyRole(caller, [...OWNER_REGISTER_READERS, Role.System])) {
      throw new DomainException(
        ErrorCode.FORBIDDEN,
        "The owner register is for community staff and the owners' committee",
      );
    }
  }
}
