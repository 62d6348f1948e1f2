import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  BuildingMovedData,
  DomainException,
  ErrorCode,
  EventEnvelope,
  GridHierarchyEvents,
  GridRpc,
  HouseholdView,
  MembershipEvents,
  MoveOutDto,
  MoveResidentDto,
  Principal,
  Relation,
  ResidenceHistoryView,
  ResidentView,
  Role,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { assertCommunityAccess, assertRole } from '@cg/auth';
import { DurableConsumers, EventPublisher, OutboxRelay, RpcClient } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { KeyedLocks, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { toResidentView } from './resident-view';
import {
  ChangeKind,
  Place,
  ResidenceState,
  ResidenceStep,
  applyStep,
  checkMove,
  initialState,
  periodsOf,
} from './residence-rules';
import { CurrentResidence, ResidenceChange } from './residence.schema';
import { Resident } from './resident.schema';
import { ResidencesRepository, changeId } from './residences.repository';
import { ResidentsRepository } from './residents.repository';

export const BUILDING_MOVES_CONSUMER = 'membership-building-moves';

/** Staff who register residents and record their moves. */
export const REGISTRARS = [Role.CommunityStaff, Role.GridWorker, Role.DistrictAdmin];
const HOUSEHOLD_ORDER: Relation[] = [Relation.Owner, Relation.Tenant, Relation.FamilyMember];
const HOUSEHOLD_LIMIT = 200;

const personLock = (personId: Types.ObjectId | string) => `residence:${String(personId)}`;

function placeOf(doc: { unitId?: Types.ObjectId; buildingId?: Types.ObjectId; gridId?: Types.ObjectId }): Place | null {
  return doc.unitId && doc.buildingId && doc.gridId
    ? { unitId: String(doc.unitId), buildingId: String(doc.buildingId), gridId: String(doc.gridId) }
    : null;
}

function registrationOf(resident: Resident) {
  return { place: placeOf(resident)!, relation: resident.relation, at: resident.registeredAt };
}

function stepOf(change: ResidenceChange): ResidenceStep {
  return { revision: change.revision, kind: change.kind, place: placeOf(change), relation: change.relation, at: change.movedAt };
}

function stateOfCopy(copy: CurrentResidence): ResidenceState {
  const lastPlace = placeOf(copy)!;
  return {
    revision: copy.revision,
    place: copy.movedOutAt ? null : lastPlace,
    relation: copy.relation,
    since: copy.since,
    lastPlace,
    ...(copy.movedOutAt && { movedOutAt: copy.movedOutAt }),
  };
}

function ids(place: Place) {
  return {
    unitId: new Types.ObjectId(place.unitId),
    buildingId: new Types.ObjectId(place.buildingId),
    gridId: new Types.ObjectId(place.gridId),
  };
}

/**
 * Where residents live over time: moves between units and out of the community, each an insert-only change with
 * its `resident moved` event; the household of a unit; residents following their building into another grid.
 */
@Injectable()
export class ResidencesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(
    private readonly residences: ResidencesRepository,
    private readonly residents: ResidentsRepository,
    private readonly locks: KeyedLocks,
    private readonly rpc: RpcClient,
    private readonly consumers: DurableConsumers,
    publisher: EventPublisher,
    @Inject(PINO_LOGGER) logger: Logger,
  ) {
    this.relay = new OutboxRelay(residences.changeCollection, publisher, logger);
  }

  async onApplicationBootstrap(): Promise<void> {
    this.relay.start();
    await this.consumers.start({
      durable: BUILDING_MOVES_CONSUMER,
      event: GridHierarchyEvents.buildingMoved,
      handle: (event) => this.onBuildingMoved(event),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** Where the person lives after their latest change, read from the change log itself. */
  async stateOf(resident: Resident): Promise<ResidenceState> {
    const { state, copied } = await this.latest(resident);
    // The copy trails the log only when a process stopped between the two writes: bring it up to date.
    if (state.revision !== copied) void this.syncCopy(resident).catch(() => undefined);
    return state;
  }

  private async latest(resident: Resident): Promise<{ state: ResidenceState; copied: number }> {
    const copy = await this.residences.findCurrent(resident._id);
    let state = copy ? stateOfCopy(copy) : initialState(registrationOf(resident));
    for (;;) {
      const next = await this.residences.findChange(resident._id, state.revision + 1);
      if (!next) break;
      state = applyStep(state, stepOf(next));
    }
    return { state, copied: copy?.revision ?? 0 };
  }

  /** Current residence of many people at once, from the copies: for lists, where one read per person is too many. */
  async statesOf(residents: Resident[]): Promise<Map<string, ResidenceState>> {
    const copies = await this.residences.findCurrentMany(residents.map((r) => r._id));
    const byPerson = new Map(copies.map((c) => [String(c._id), c]));
    return new Map(
      residents.map((r) => {
        const copy = byPerson.get(String(r._id));
        return [String(r._id), copy ? stateOfCopy(copy) : initialState(registrationOf(r))];
      }),
    );
  }

  /** People who moved into this building after registering, and still live there by their copy. */
  async movedIntoBuilding(communityId: Types.ObjectId, buildingId: Types.ObjectId): Promise<Types.ObjectId[]> {
    const copies = await this.residences.movedInto(communityId, { buildingId });
    return copies.filter((c) => !c.movedOutAt).map((c) => c._id);
  }

  async move(caller: Principal, communityId: string, personId: string, dto: MoveResidentDto): Promise<ResidentView> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    const resident = await this.requireResident(communityId, personId);
    const unit = await this.rpc.send(GridRpc.getUnit, { communityId, unitId: dto.unitId });
    const to: Place = { unitId: unit.id, buildingId: unit.buildingId, gridId: unit.gridId };
    const state = await this.change(caller, resident, dto.expectedRevision, (current) => ({
      kind: 'moved',
      place: to,
      relation: dto.relation ?? current.relation,
      at: dto.movedAt ? new Date(dto.movedAt) : new Date(),
      note: dto.note,
    }));
    return toResidentView(resident, await this.followBuildingGrid(resident, state, caller.sub));
  }

  async moveOut(caller: Principal, communityId: string, personId: string, dto: MoveOutDto): Promise<ResidentView> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    const resident = await this.requireResident(communityId, personId);
    const state = await this.change(caller, resident, dto.expectedRevision, (current) => ({
      kind: 'moved_out',
      place: null,
      relation: current.relation,
      at: dto.movedAt ? new Date(dto.movedAt) : new Date(),
      note: dto.note,
    }));
    return toResidentView(resident, state);
  }

  async history(caller: Principal, communityId: string, personId: string): Promise<ResidenceHistoryView> {
    assertCommunityAccess(caller, communityId);
    if (caller.personId !== personId && !hasAnyRole(caller, [...REGISTRARS, Role.System])) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'You may only read your own residence history');
    }
    const resident = await this.requireResident(communityId, personId);
    const changes = await this.residences.historyOf(resident.communityId, resident._id);
    const periods = periodsOf(registrationOf(resident), changes.map(stepOf));
    return {
      personId,
      periods: periods.map((p) => ({
        ...p.place,
        relation: p.relation,
        from: p.from.toISOString(),
        ...(p.until && { until: p.until.toISOString() }),
      })),
    };
  }

  /** Who lives in the unit today: staff, or someone living there. */
  async household(caller: Principal, communityId: string, unitId: string): Promise<HouseholdView> {
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.UNIT_NOT_FOUND);
    const unit = objectId(unitId, ErrorCode.UNIT_NOT_FOUND);
    const movedIn = (await this.residences.movedInto(community, { unitId: unit })).map((c) => c._id);
    const candidates = await this.residents.search(community, { place: { unitId: unit }, alsoIds: movedIn }, undefined, HOUSEHOLD_LIMIT);
    const states = await this.statesOf(candidates);
    const members = candidates
      .map((resident) => ({ resident, state: states.get(String(resident._id))! }))
      .filter(({ state }) => state.place?.unitId === unitId)
      .sort(
        (a, b) =>
          HOUSEHOLD_ORDER.indexOf(a.state.relation) - HOUSEHOLD_ORDER.indexOf(b.state.relation) ||
          a.resident.name.localeCompare(b.resident.name),
      );
    const staff = hasAnyRole(caller, [...REGISTRARS, Role.System]);
    if (!staff && !members.some(({ resident }) => String(resident._id) === caller.personId)) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only staff and the people living in a unit may see its household');
    }
    return { unitId, members: members.map(({ resident, state }) => toResidentView(resident, state, caller)) };
  }

  /**
   * A building moved to another grid: everyone living in it today gets a change to the new grid. Events of one
   * building are applied in the order they happened, whatever order they arrive in; a repeat changes nothing.
   */
  async onBuildingMoved(event: EventEnvelope<BuildingMovedData>): Promise<void> {
    const { data } = event;
    const community = new Types.ObjectId(event.communityId);
    const buildingId = new Types.ObjectId(data.buildingId);
    const movedAt = new Date(data.movedAt);
    await this.locks.run(
      `building-grid:${data.buildingId}`,
      async () => {
        const known = await this.residences.findBuildingGrid(buildingId);
        const seen = known?.movedAt.getTime() ?? 0;
        if (seen > movedAt.getTime() || (seen === movedAt.getTime() && known?.applied)) return;
        const grid = { _id: buildingId, communityId: community, gridId: new Types.ObjectId(data.toGridId), movedAt };
        await this.residences.saveBuildingGrid({ ...grid, applied: false });
        const movedIn = await this.movedIntoBuilding(community, buildingId);
        let after: Types.ObjectId | undefined;
        for (;;) {
          const batch = await this.residents.search(community, { place: { buildingId }, alsoIds: movedIn }, after, 500);
          for (const resident of batch) await this.regrid(resident, data.buildingId, data.toGridId, movedAt, event.actor);
          if (batch.length < 500) break;
          after = batch[batch.length - 1]._id;
        }
        await this.residences.saveBuildingGrid({ ...grid, applied: true });
      },
      { leaseMs: 120_000, waitMs: 60_000 },
    );
  }

  /** After a write placed the person by an answer of grid's, catches up with a building move seen meanwhile. */
  async followBuildingGrid(resident: Resident, state: ResidenceState, actor: string): Promise<ResidenceState> {
    if (!state.place) return state;
    const known = await this.residences.findBuildingGrid(new Types.ObjectId(state.place.buildingId));
    if (!known || String(known.gridId) === state.place.gridId) return state;
    await this.regrid(resident, state.place.buildingId, String(known.gridId), known.movedAt, actor);
    return this.stateOf(resident);
  }

  private async regrid(resident: Resident, buildingId: string, gridId: string, at: Date, actor: string): Promise<void> {
    await this.locks.run(personLock(resident._id), async () => {
      const { state } = await this.latest(resident);
      if (!state.place || state.place.buildingId !== buildingId || state.place.gridId === gridId) return;
      const step: ResidenceStep = { revision: state.revision + 1, kind: 'building_moved', place: { ...state.place, gridId }, relation: state.relation, at };
      if (await this.record(resident, state, step, actor)) await this.saveCopy(resident, applyStep(state, step));
    });
  }

  private async change(
    caller: Principal,
    resident: Resident,
    expectedRevision: number | undefined,
    decide: (current: ResidenceState) => { kind: ChangeKind; place: Place | null; relation: Relation; at: Date; note?: string },
  ): Promise<ResidenceState> {
    return this.locks.run(personLock(resident._id), async () => {
      const { state } = await this.latest(resident);
      if (expectedRevision !== undefined && expectedRevision !== state.revision) {
        throw new DomainException(ErrorCode.CONFLICT, 'The residence changed meanwhile; reload and try again', {
          expectedRevision,
          revision: state.revision,
        });
      }
      const decided = decide(state);
      checkMove(state, decided.place, decided.relation, decided.at, new Date());
      const step: ResidenceStep = { revision: state.revision + 1, ...decided };
      if (!(await this.record(resident, state, step, caller.sub, decided.note))) {
        throw new DomainException(ErrorCode.CONFLICT, 'The residence changed meanwhile; reload and try again');
      }
      const next = applyStep(state, step);
      await this.saveCopy(resident, next);
      return next;
    });
  }

  /** Inserts the change with its event; false when another change took this revision first. */
  private async record(resident: Resident, from: ResidenceState, step: ResidenceStep, actor: string, note?: string): Promise<boolean> {
    const change: ResidenceChange = {
      _id: changeId(resident._id, step.revision),
      communityId: resident.communityId,
      personId: resident._id,
      revision: step.revision,
      kind: step.kind,
      ...(step.place && ids(step.place)),
      relation: step.relation,
      movedAt: step.at,
      recordedBy: actor,
      ...(note && { note }),
      outbox: [
        newEvent(
          MembershipEvents.residentMoved,
          {
            personId: String(resident._id),
            name: resident.name,
            from: from.place,
            to: step.place,
            relation: step.relation,
            movedAt: step.at.toISOString(),
            revision: step.revision,
            reason: step.kind,
          },
          { communityId: String(resident.communityId), actor, correlationId: currentCorrelationId() },
        ),
      ],
    };
    if (!(await this.residences.insertChange(change))) return false;
    void this.relay.kick(change._id);
    return true;
  }

  /** Callers hold the person's lock. */
  private async saveCopy(resident: Resident, state: ResidenceState): Promise<void> {
    await this.residences.saveCurrent({
      _id: resident._id,
      communityId: resident.communityId,
      revision: state.revision,
      ...ids(state.lastPlace),
      relation: state.relation,
      since: state.since,
      ...(state.movedOutAt && { movedOutAt: state.movedOutAt }),
    });
  }

  /** Brings the person's copy up to their latest change. */
  private async syncCopy(resident: Resident): Promise<void> {
    await this.locks.run(personLock(resident._id), async () => {
      const { state, copied } = await this.latest(resident);
      if (state.revision !== copied) await this.saveCopy(resident, state);
    });
  }

  private async requireResident(communityId: string, personId: string): Promise<Resident> {
    const resident = await this.residents.findOne({
      communityId: objectId(communityId, ErrorCode.RESIDENT_NOT_FOUND),
      _id: objectId(personId, ErrorCode.RESIDENT_NOT_FOUND),
    });
    if (!resident) throw new DomainException(ErrorCode.RESIDENT_NOT_FOUND, `No resident ${personId} in this community`);
    return resident;
  }

  /** Publishes whatever is pending now. */
  flushOutbox(): Promise<void> {
    return this.relay.kick();
  }
}
