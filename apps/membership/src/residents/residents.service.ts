import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  GridRpc,
  MembershipEvents,
  PageQueryDto,
  Principal,
  RegisterResidentDto,
  Relation,
  ResidentPage,
  ResidentView,
  Role,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { assertCommunityAccess, assertRole } from '@cg/auth';
import { EventPublisher, OutboxRelay, RpcClient } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { objectId, toPage } from '@cg/persistence';
import { Types } from 'mongoose';
import { AccountsService } from '../accounts/accounts.service';
import { maskIdNumber, maskPhone } from './masking';
import { Resident } from './resident.schema';
import { ResidentsRepository } from './residents.repository';

const REGISTRARS = [Role.CommunityStaff, Role.GridWorker, Role.DistrictAdmin];

function toResidentView(resident: Resident): ResidentView {
  return {
    id: String(resident._id),
    communityId: String(resident.communityId),
    name: resident.name,
    phone: maskPhone(resident.phone),
    ...(resident.idNumber && { idNumber: maskIdNumber(resident.idNumber) }),
    unitId: String(resident.unitId),
    buildingId: String(resident.buildingId),
    gridId: String(resident.gridId),
    relation: resident.relation,
    registeredAt: resident.registeredAt.toISOString(),
    ...(resident.accountId && { accountId: String(resident.accountId) }),
  };
}

@Injectable()
export class ResidentsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(
    private readonly residents: ResidentsRepository,
    private readonly accounts: AccountsService,
    private readonly rpc: RpcClient,
    publisher: EventPublisher,
    @Inject(PINO_LOGGER) logger: Logger,
  ) {
    this.relay = new OutboxRelay(residents.collection, publisher, logger);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

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
    void this.relay.kick(stored._id);
    return toResidentView(stored);
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
    return toResidentView(resident);
  }

  async list(caller: Principal, communityId: string, page: PageQueryDto): Promise<ResidentPage> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const docs = await this.residents.list(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND), page.cursor, limit);
    return toPage(docs, limit, toResidentView);
  }

  /** Publishes whatever is pending now; used by tests and by shutdown paths that want a clean outbox. */
  flushOutbox(): Promise<void> {
    return this.relay.kick();
  }
}
