import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  BuildingMoveView,
  DomainException,
  ErrorCode,
  GridHierarchyEvents,
  MoveBuildingDto,
  NodeKind,
  Principal,
  newEvent,
} from '@cg/contracts';
import { Outbox } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { ResidencyRepository } from '@cg/residency';
import { Types } from 'mongoose';
import { HierarchyRepository } from './hierarchy.repository';
import { HierarchyService } from './hierarchy.service';
import { HierarchyNode, PendingMove } from './node.schema';

/** A move whose units and residents have not followed after this long is taken as cut short, and finished. */
export const STALLED_MOVE_MS = 60_000;
const SWEEP_BATCH = 100;

/**
 * Moves a building to another grid. Cases keep the grid stored when they were filed, so their history stays
 * with the grid that handled them; cases filed afterwards find the new grid from the unit or building.
 */
@Injectable()
export class BuildingMovesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly nodes: HierarchyRepository,
    private readonly residencies: ResidencyRepository,
    private readonly hierarchy: HierarchyService,
    private readonly outbox: Outbox,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const sweep = () => {
      if (this.running) return;
      this.running = this.finishStalledMoves()
        .catch((error) => {
          this.logger.warn({ err: error }, 'stalled building move sweep failed; the next one retries');
          return 0;
        })
        .finally(() => (this.running = undefined));
    };
    this.timer = setInterval(sweep, STALLED_MOVE_MS);
    this.timer.unref();
    sweep();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * One update on the building decides the move (guarded by its grid and by no other move pending) and carries
   * its event; the units and residents follow, then the pending move is cleared. Of two moves of one building
   * at once exactly one lands.
   */
  async move(caller: Principal, communityId: string, buildingId: string, dto: MoveBuildingDto): Promise<BuildingMoveView> {
    const community = await this.hierarchy.managedCommunity(caller, communityId);
    const target = await this.hierarchy.node(community._id, dto.gridId, NodeKind.Grid, 'gridId');
    const building = await this.hierarchy.node(community._id, buildingId, NodeKind.Building, 'buildingId');
    if (building.moving) throw beingMoved();
    if (String(building.gridId) === String(target._id)) throw alreadyThere();
    if ((await this.nodes.takenCodes(String(target._id), [building.code], building._id)).length > 0) {
      throw new DomainException(ErrorCode.CODE_TAKEN, `Grid ${target.code} already has a building ${building.code}`, [
        { field: 'gridId', reason: 'a building with the same code is already in this grid' },
      ]);
    }
    const now = new Date();
    const move: PendingMove = {
      fromGridId: building.gridId!,
      fromAreaId: building.areaId!,
      toGridId: target._id,
      toAreaId: target.areaId!,
      at: now,
    };
    const event = newEvent(
      GridHierarchyEvents.buildingMoved,
      {
        buildingId: String(building._id),
        buildingCode: building.code,
        fromGridId: String(move.fromGridId),
        toGridId: String(move.toGridId),
        fromAreaId: String(move.fromAreaId),
        toAreaId: String(move.toAreaId),
        movedAt: now.toISOString(),
      },
      { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
    );
    if (!(await this.nodes.startBuildingMove(community._id, building._id, move, event))) {
      // Lost to another move: say what the winner left, as the move after it would have found.
      const current = await this.hierarchy.node(community._id, buildingId, NodeKind.Building, 'buildingId');
      throw String(current.gridId) === String(target._id) && !current.moving ? alreadyThere() : beingMoved();
    }
    const applied = await this.follow(community._id, building._id, move);
    void this.outbox.deliver(HierarchyNode.name, building._id);
    return {
      buildingId: String(building._id),
      fromGridId: String(move.fromGridId),
      toGridId: String(move.toGridId),
      fromAreaId: String(move.fromAreaId),
      toAreaId: String(move.toAreaId),
      ...applied,
      movedAt: now.toISOString(),
    };
  }

  /** Finishes moves cut short (units or residents not yet moved), a batch a run; answers how many. Runs on a timer. */
  async finishStalledMoves(now = new Date()): Promise<number> {
    const stalled = await this.nodes.stalledMoves(new Date(now.getTime() - STALLED_MOVE_MS), SWEEP_BATCH);
    for (const building of stalled) {
      await this.follow(building.communityId, building._id, building.moving!);
      void this.outbox.deliver(HierarchyNode.name, building._id);
    }
    return stalled.length;
  }

  /** The units and residents follow the building; repeating it changes nothing. */
  private async follow(
    communityId: Types.ObjectId,
    buildingId: Types.ObjectId,
    move: PendingMove,
  ): Promise<{ unitsMoved: number; residentsMoved: number }> {
    const unitsMoved = await this.nodes.moveUnits(communityId, buildingId, move);
    const residentsMoved = await this.residencies.moveBuilding(communityId, buildingId, move.toGridId);
    await this.nodes.finishBuildingMove(communityId, buildingId, move.at);
    return { unitsMoved, residentsMoved };
  }
}

function alreadyThere(): DomainException {
  return new DomainException(ErrorCode.INVALID_TRANSITION, 'The building is already in this grid', [
    { field: 'gridId', reason: 'the building is already in this grid' },
  ]);
}

function beingMoved(): DomainException {
  return new DomainException(
    ErrorCode.CONFLICT,
    'The building is being moved by someone else; reload it and try again',
  );
}
