import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
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
import { Logger, PINO_LOGGER, crashPoint, currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { createHash } from 'node:crypto';
import { Account } from '../accounts/account.schema';
import { AccountsService } from '../accounts/accounts.service';
import { toResidentView } from './resident-view';
import { ResidenceState } from './residence-rules';
import { ResidencesService } from './residences.service';
import { Resident, idNumberInCommunity } from './resident.schema';
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
/** A resident's unique insert refused this registration: another resident holds its unit and phone, or its ID number. */
function isRefusedRegistration(error: unknown): boolean {
  return error instanceof DomainException && (error.code === ErrorCode.ALREADY_REGISTERED || error.code === ErrorCode.ID_NUMBER_TAKEN);
}
/** How long a registration may stay half done before the sweep finishes it. */
const SETTLE_GRACE_MS = 5_000;
const SWEEP_MS = 5_000;

/**
 * Residents and their registration. A resident registered with an app account takes two inserts, and a process may
 * stop between them, so the account goes first, pending, carrying the whole resident document it waits for (the
 * resident's event included). Its unique username decides who gets the username; a pending account cannot log in.
 * The resident's unique insert then decides the rest, and the account is activated. Whoever finds a pending account
 * (this request, a later registration of its username, the sweep at start-up and every few seconds) finishes it the
 * same way, so running it twice or at once is harmless: the registration is rolled forward, or, when its resident is
 * refused, the account is removed. Nothing is decided by time, so a slow request can never meet a half-undone state.
 */
@Injectable()
export class ResidentsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private sweepTimer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    private readonly residents: ResidentsRepository,
    private readonly accounts: AccountsService,
    private readonly residences: ResidencesService,
    private readonly rpc: RpcClient,
    private readonly publisher: EventPublisher,
    private readonly outbox: Outbox,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.sweepTimer = setInterval(() => void this.finishPendingAccounts(new Date(Date.now() - SETTLE_GRACE_MS)), SWEEP_MS);
    this.sweepTimer.unref();
    void this.finishPendingAccounts(new Date(Date.now() - SETTLE_GRACE_MS));
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.sweeping;
  }

  async register(caller: Principal, communityId: string, dto: RegisterResidentDto): Promise<ResidentView> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    // The unit must exist in this community right now: ask grid, which owns the hierarchy.
    const unit = await this.rpc.send(GridRpc.getUnit, { communityId, unitId: dto.unitId });
    // Grid's units may not have caught up with a move of their building yet: the insert places the resident in the
    // building's grid of now, so no second write is needed for it (the one after the insert covers a move seen meanwhile).
    const gridId = (await this.residences.movedGridOf(unit.buildingId)) ?? unit.gridId;
    const personId = newId('resident');
    const idNumber = dto.idNumber?.toUpperCase();
    const accountId = dto.account ? newId('resident:account') : undefined;
    const resident: Resident = {
      _id: personId,
      communityId: new Types.ObjectId(communityId),
      name: dto.name,
      phone: dto.phone,
      ...(idNumber && { idNumber, idNumberInCommunity: idNumberInCommunity(communityId, idNumber) }),
      unitId: new Types.ObjectId(unit.id),
      buildingId: new Types.ObjectId(unit.buildingId),
      gridId: new Types.ObjectId(gridId),
      relation: dto.relation,
      ...(dto.dateOfBirth && { dateOfBirth: dto.dateOfBirth }),
      ...(dto.gender && { gender: dto.gender }),
      ...(accountId && { accountId }),
      registeredAt: new Date(),
      outbox: [
        newEvent(
          MembershipEvents.residentRegistered,
          {
            personId: String(personId),
            name: dto.name,
            unitId: unit.id,
            buildingId: unit.buildingId,
            gridId,
            relation: dto.relation,
          },
          { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
        ),
      ],
    };
    let stored: Resident;
    if (dto.account && accountId) {
      const roles = dto.relation === Relation.Owner ? [Role.Resident, Role.Owner] : [Role.Resident];
      const account = await this.writePendingAccount(accountId, dto.account, resident, roles);
      crashPoint('resident.account-written');
      stored = await this.finishRegistration(account);
    } else {
      stored = await this.residents.insert(resident);
      void this.outbox.deliver(Resident.name, stored._id);
    }
    return toResidentView(stored, await this.residences.followBuildingGrid(stored, await this.residences.stateOf(stored), caller.sub));
  }

  /**
   * Writes the pending account, which claims the username. A username held by another pending account is first
   * settled as the sweep does it: if that registration is refused, the username is free and the write is tried again.
   */
  private async writePendingAccount(
    accountId: Types.ObjectId,
    credentials: { username: string; password: string },
    resident: Resident,
    roles: Role[],
  ): Promise<Account> {
    try {
      return await this.accounts.createResidentAccount(accountId, credentials, resident, roles);
    } catch (error) {
      if (!(error instanceof DomainException && error.code === ErrorCode.USERNAME_TAKEN)) throw error;
      const holder = await this.accounts.pendingHolderOf(credentials.username);
      if (!holder) throw error;
      // The same registration sent again under its write key has the same ids: it finishes the first attempt.
      if (holder._id.equals(accountId)) return holder;
      await this.finishRegistration(holder).catch((refused: unknown) => {
        if (!isRefusedRegistration(refused)) throw refused;
      });
      return this.accounts.createResidentAccount(accountId, credentials, resident, roles);
    }
  }

  /**
   * Finishes the registration a pending account waits for; the request that wrote the account, a later request for
   * its username and the sweep may all run it at once. The resident's unique insert decides: stored by this call or
   * an earlier one (same _id), the account is activated; refused for another resident's unit and phone, or ID number,
   * the account is removed and ALREADY_REGISTERED (or ID_NUMBER_TAKEN) thrown. Any other failure leaves the account
   * pending for the sweep.
   */
  private async finishRegistration(account: Account): Promise<Resident> {
    const wanted = account.pendingResident!;
    let stored: Resident;
    try {
      stored = await this.residents.insert(wanted);
    } catch (error) {
      if (!isRefusedRegistration(error)) throw error;
      const earlier = await this.residents.findOne({ communityId: wanted.communityId, _id: wanted._id });
      if (!earlier) {
        await this.accounts.abandon(account);
        throw error;
      }
      stored = earlier;
    }
    crashPoint('resident.written');
    await this.accounts.activate(account);
    void this.outbox.deliver(Resident.name, stored._id);
    return stored;
  }

  /** Finishes registrations a stopped process left between the account and the resident. */
  finishPendingAccounts(before: Date): Promise<void> {
    this.sweeping ??= (async () => {
      for (const account of await this.accounts.pendingSince(before, 100)) {
        await this.finishRegistration(account).catch((error: unknown) => {
          if (!isRefusedRegistration(error)) throw error;
        });
      }
    })()
      .catch((error) => this.logger.warn({ err: error }, 'pending account sweep failed; the next one retries'))
      .finally(() => (this.sweeping = undefined));
    return this.sweeping;
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
    return toResidentView(resident, await this.residences.stateOf(resident));
  }

  /** A resident with their full phone and ID number: for a reveal only, which audits it before answering. */
  async unmaskedResident(communityId: string, personId: string): Promise<Resident> {
    const resident = await this.residents.findOne({
      communityId: objectId(communityId, ErrorCode.RESIDENT_NOT_FOUND),
      _id: objectId(personId, ErrorCode.RESIDENT_NOT_FOUND),
    });
    if (!resident) throw new DomainException(ErrorCode.RESIDENT_NOT_FOUND, `No resident ${personId} in this community`);
    return resident;
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
    const items = found.slice(0, limit).map(({ resident, state }) => toResidentView(resident, state));
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
            ...(r.idNumber && { idNumber: r.idNumber, idNumberInCommunity: idNumberInCommunity(community, r.idNumber) }),
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
