import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  DomainException,
  ErrorCode,
  EventEnvelope,
  MembershipOwnerEvents,
  OwnerRegisterSummary,
  OwnershipRecordedData,
  Principal,
  RegisteredUnitView,
  Role,
} from '@cg/contracts';
import { assertCommunityAccess, assertRole } from '@cg/auth';
import { DurableConsumers } from '@cg/messaging';
import { objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { formatHundredths, toHundredths } from './area';
import { RegisteredUnit } from './registered-unit.schema';
import { OwnerRegisterRepository } from './owner-register.repository';

export const OWNER_REGISTER_CONSUMER = 'property-owner-register';
export const REGISTER_READERS = [Role.CommunityStaff, Role.OwnersCommitteeMember, Role.DistrictAdmin];

function toView(unit: RegisteredUnit): RegisteredUnitView {
  return {
    unitId: String(unit._id),
    buildingId: String(unit.buildingId),
    exclusiveArea: formatHundredths(BigInt(unit.areaHundredths)),
    voterPersonId: unit.voterPersonId,
    headcountKey: unit.headcountKey,
    revision: unit.revision,
  };
}

function toRegisteredUnit(event: EventEnvelope<OwnershipRecordedData>): RegisteredUnit {
  const { data } = event;
  return {
    _id: new Types.ObjectId(data.unitId),
    communityId: new Types.ObjectId(event.communityId),
    buildingId: new Types.ObjectId(data.buildingId),
    gridId: new Types.ObjectId(data.gridId),
    areaHundredths: Number(toHundredths(data.exclusiveArea)),
    areaSource: data.areaSource,
    ownerPersonIds: data.ownerPersonIds,
    voterPersonId: data.voterPersonId,
    headcountKey: data.headcountKey,
    revision: data.revision,
    sourceEventId: event.id,
    recordedAt: new Date(event.occurredAt),
  };
}

/** Keeps property's copy of the owner register (units, areas, voters, headcount keys) from membership's events. */
@Injectable()
export class OwnerRegisterService implements OnApplicationBootstrap {
  constructor(
    private readonly register: OwnerRegisterRepository,
    private readonly consumers: DurableConsumers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: OWNER_REGISTER_CONSUMER,
      event: MembershipOwnerEvents.ownershipRecorded,
      handle: (event) => this.onOwnershipRecorded(event),
      // An import records thousands of units at once: new units are stored a batch per insert.
      handleBatch: (events) => this.register.applyManyIfNewer(events.map(toRegisteredUnit)),
    });
  }

  /** Idempotent and order-proof: only a higher revision of a unit replaces what is stored. */
  async onOwnershipRecorded(event: EventEnvelope<OwnershipRecordedData>): Promise<void> {
    await this.register.applyIfNewer(toRegisteredUnit(event));
  }

  async summary(caller: Principal, communityId: string): Promise<OwnerRegisterSummary> {
    assertRole(caller, REGISTER_READERS);
    assertCommunityAccess(caller, communityId);
    const totals = await this.register.summary(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND));
    return { communityId, units: totals.units, owners: totals.owners, totalArea: formatHundredths(totals.areaHundredths) };
  }

  async getUnit(caller: Principal, communityId: string, unitId: string): Promise<RegisteredUnitView> {
    assertRole(caller, REGISTER_READERS);
    assertCommunityAccess(caller, communityId);
    const unit = await this.register.findUnit(
      objectId(communityId, ErrorCode.UNIT_NOT_FOUND),
      objectId(unitId, ErrorCode.UNIT_NOT_FOUND),
    );
    if (!unit) throw new DomainException(ErrorCode.UNIT_NOT_FOUND, `Unit ${unitId} is not on the owner register of this community`);
    return toView(unit);
  }
}
