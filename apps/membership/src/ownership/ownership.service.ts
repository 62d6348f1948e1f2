import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
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
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { EventPublisher, OutboxRelay, RpcClient } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { objectId, toPage } from '@cg/persistence';
import { Types } from 'mongoose';
import { PeopleDirectory } from '../people/people.directory';
import { formatHundredths } from '../quantities/hundredths';
import { chooseExclusiveArea, countOwners, settleOwners } from './ownership-rules';
import { Ownership } from './ownership.schema';
import { OwnershipRepository, OwnershipState } from './ownership.repository';

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
export class OwnershipService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(
    private readonly ownerships: OwnershipRepository,
    private readonly people: PeopleDirectory,
    private readonly rpc: RpcClient,
    publisher: EventPublisher,
    @Inject(PINO_LOGGER) logger: Logger,
  ) {
    this.relay = new OutboxRelay(ownerships.revisionCollection, publisher, logger);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

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
    const stored = await this.ownerships.commit(community, unitOid, event.data.revision, state, event);
    void this.relay.kick();
    return toOwnershipView(stored);
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
    const docs = await this.ownerships.list(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      query.buildingId ? objectId(query.buildingId, ErrorCode.NODE_NOT_FOUND) : undefined,
      query.cursor,
      limit,
    );
    return toPage(docs, limit, toOwnershipView);
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

  /** Publishes whatever is pending now. */
  flushOutbox(): Promise<void> {
    return this.relay.kick();
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
