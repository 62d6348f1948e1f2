import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
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
import { DurableConsumers, Outbox, RpcClient } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { objectId } from '@cg/persistence';
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
import { Residence, ResidenceChange } from './residence.schema';
import { Resident } from './resident.schema';
import { ResidenceFields, ResidencesRepository } from './residences.repository';
import { ResidentsRepository } from './residents.repository';

export const BUILDING_MOVES_CONSUMER = 'membership-building-moves';

/** Staff who register residents and record their moves. */
export const REGISTRARS = [Role.CommunityStaff, Role.GridWorker, Role.DistrictAdmin];
const HOUSEHOLD_ORDER: Relation[] = [Relation.Owner, Relation.Tenant, Relation.FamilyMember];
const HOUSEHOLD_LIMIT = 200;

/** Attempts of one change against a residence others keep changing meanwhile, before answering a conflict. */
const MAX_ATTEMPTS = 100;

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

function stateOfResidence(residence: ResidenceFields): ResidenceState {
  const lastPlace = placeOf(residence)!;
  return {
    revision: residence.revision,
    place: residence.movedOutAt ? null : lastPlace,
    relation: residence.relation,
    since: residence.since,
    lastPlace,
    ...(residence.movedOutAt && { movedOutAt: residence.movedOutAt }),
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
 * Where residents live over time: moves between units and out of the community, each one guarded update of the
 * person's residence carrying its `resident moved` event; the household of a unit; residents following their
 * building into another grid.
 */
@Injectable()
export class ResidencesService implements OnApplicationBootstrap {
  constructor(
    private readonly residences: ResidencesRepository,
    private readonly residents: ResidentsRepository,
    private readonly rpc: RpcClient,
    private readonly consumers: DurableConsumers,
    private readonly outbox: Outbox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: BUILDING_MOVES_CONSUMER,
      event: GridHierarchyEvents.buildingMoved,
      handle: (event) => this.onBuildingMoved(event),
    });
  }

  /** Where the person lives after their latest change. */
  async stateOf(resident: Resident): Promise<ResidenceState> {
    const residence = await this.residences.find(resident._id);
    return residence ? stateOfResidence(residence) : initialState(registrationOf(resident));
  }

  /** Current residence of many people at once, for lists. */
  async statesOf(residents: Resident[]): Promise<Map<string, ResidenceState>> {
    const found = await this.residences.findMany(residents.map((r) => r._id));
    const byPerson = new Map(found.map((c) => [String(c._id), c]));
    return new Map(
      residents.map((r) => {
        const residence = byPerson.get(String(r._id));
        return [String(r._id), residence ? stateOfResidence(residence) : initialState(registrationOf(r))];
      }),
    );
  }

  /** People who moved into this building after registering, and still live there. */
  async movedIntoBuilding(communityId: Types.ObjectId, buildingId: Types.ObjectId): Promise<Types.ObjectId[]> {
    const found = await this.residences.movedInto(communityId, { buildingId });
    return found.filter((c) => !c.movedOutAt).map((c) => c._id);
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
    return { unitId, members: members.map(({ resident, state }) => toResidentView(resident, state)) };
  }

  /**
   * A building moved to another grid: everyone living in it today gets a change to the new grid. Only the latest
   * move of a building is applied, whatever order the events arrive in; a repeat finishes what an earlier delivery
   * began, and a move that is no longer the latest stops, leaving the residents to the later one.
   */
  async onBuildingMoved(event: EventEnvelope<BuildingMovedData>): Promise<void> {
    const { data } = event;
    const community = new Types.ObjectId(event.communityId);
    const buildingId = new Types.ObjectId(data.buildingId);
    const movedAt = new Date(data.movedAt);
    const latest = await this.residences.noteBuildingMove({
      _id: buildingId,
      communityId: community,
      gridId: new Types.ObjectId(data.toGridId),
      movedAt,
    });
    if (!latest) return;
    const stillLatest = async () => (await this.residences.findBuildingGrid(buildingId))?.movedAt.getTime() === movedAt.getTime();
    const movedIn = await this.movedIntoBuilding(community, buildingId);
    let after: Types.ObjectId | undefined;
    for (;;) {
      const batch = await this.residents.search(community, { place: { buildingId }, alsoIds: movedIn }, after, 500);
      for (const resident of batch) {
        if (!(await this.regrid(resident, data.buildingId, data.toGridId, movedAt, event.actor, stillLatest))) return;
      }
      if (batch.length < 500) break;
      after = batch[batch.length - 1]._id;
    }
    await this.residences.markBuildingMoveApplied(buildingId, movedAt);
  }

  /** The grid a building moved to, by the latest move seen; undefined when no move of it was seen. */
  async movedGridOf(buildingId: string): Promise<string | undefined> {
    const known = await this.residences.findBuildingGrid(new Types.ObjectId(buildingId));
    return known ? String(known.gridId) : undefined;
  }

  /** After a write placed the person by an answer of grid's, catches up with a building move seen meanwhile. */
  async followBuildingGrid(resident: Resident, state: ResidenceState, actor: string): Promise<ResidenceState> {
    if (!state.place) return state;
    const known = await this.residences.findBuildingGrid(new Types.ObjectId(state.place.buildingId));
    if (!known || String(known.gridId) === state.place.gridId) return state;
    await this.regrid(resident, state.place.buildingId, String(known.gridId), known.movedAt, actor);
    return this.stateOf(resident);
  }

  /**
   * Moves the person to the building's new grid if they still live in the building. Each attempt first asks
   * `stillLatest`: false when a later move of the building took over, and then nothing is written.
   */
  private async regrid(
    resident: Resident,
    buildingId: string,
    gridId: string,
    at: Date,
    actor: string,
    stillLatest: () => Promise<boolean> = async () => true,
  ): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const state = await this.stateOf(resident);
      if (!state.place || state.place.buildingId !== buildingId || state.place.gridId === gridId) return true;
      if (!(await stillLatest())) return false;
      const step: ResidenceStep = { revision: state.revision + 1, kind: 'building_moved', place: { ...state.place, gridId }, relation: state.relation, at };
      if (await this.record(resident, state, step, actor)) return true;
    }
    throw new DomainException(ErrorCode.CONFLICT, 'The residence kept changing meanwhile; try again');
  }

  /**
   * Decides a change on the person's residence as it is now and stores it guarded by its revision. When another
   * change won meanwhile, the caller's expected revision (if given) no longer holds and the caller gets a conflict;
   * without one, the change is decided again on the newer residence, as a change made just after it.
   */
  private async change(
    caller: Principal,
    resident: Resident,
    expectedRevision: number | undefined,
    decide: (current: ResidenceState) => { kind: ChangeKind; place: Place | null; relation: Relation; at: Date; note?: string },
  ): Promise<ResidenceState> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const state = await this.stateOf(resident);
      if (expectedRevision !== undefined && expectedRevision !== state.revision) {
        throw new DomainException(ErrorCode.CONFLICT, 'The residence changed meanwhile; reload and try again', {
          expectedRevision,
          revision: state.revision,
        });
      }
      const decided = decide(state);
      checkMove(state, decided.place, decided.relation, decided.at, new Date());
      const step: ResidenceStep = { revision: state.revision + 1, ...decided };
      if (await this.record(resident, state, step, caller.sub, decided.note)) return applyStep(state, step);
    }
    throw new DomainException(ErrorCode.CONFLICT, 'The residence changed meanwhile; reload and try again');
  }

  /** Stores the change with the residence after it and its event; false when another change took this revision. */
  private async record(resident: Resident, from: ResidenceState, step: ResidenceStep, actor: string, note?: string): Promise<boolean> {
    const next = applyStep(from, step);
    const change: ResidenceChange = {
      revision: step.revision,
      kind: step.kind,
      ...(step.place && ids(step.place)),
      relation: step.relation,
      movedAt: step.at,
      recordedBy: actor,
      ...(note && { note }),
    };
    const event = newEvent(
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
    );
    const residence: ResidenceFields = {
      _id: resident._id,
      communityId: resident.communityId,
      revision: next.revision,
      ...ids(next.lastPlace),
      relation: next.relation,
      since: next.since,
      ...(next.movedOutAt && { movedOutAt: next.movedOutAt }),
    };
    if (!(await this.residences.recordChange(from.revision, residence, change, event))) return false;
    void this.outbox.deliver(Residence.name, resident._id);
    return true;
  }

  private async requireResident(communityId: string, personId: string): Promise<Resident> {
    const resident = await this.residents.findOne({
      communityId: objectId(communityId, ErrorCode.RESIDENT_NOT_FOUND),
      _id: objectId(personId, ErrorCode.RESIDENT_NOT_FOUND),
    });
    if (!resident) throw new DomainException(ErrorCode.RESIDENT_NOT_FOUND, `No resident ${personId} in this community`);
    return resident;
  }
}
