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
import { EventPublisher, OutboxRelay } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { KeyedLocks } from '@cg/persistence';
import { Types } from 'mongoose';
import { BuildingMove } from './building-move.schema';
import { BuildingMovesRepository } from './building-moves.repository';
import { HierarchyRepository } from './hierarchy.repository';
import { HierarchyService } from './hierarchy.service';
import { ResidencyRepository } from '@cg/residency';

/**
 * Moves a building to another grid. Cases keep the grid stored when they were filed, so their history stays
 * with the grid that handled them; cases filed afterwards find the new grid from the unit or building.
 */
@Injectable()
export class BuildingMovesService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(
    private readonly moves: BuildingMovesRepository,
    private readonly nodes: HierarchyRepository,
    private readonly residencies: ResidencyRepository,
    private readonly hierarchy: HierarchyService,
    private readonly locks: KeyedLocks,
    publisher: EventPublisher,
    @Inject(PINO_LOGGER) logger: Logger,
  ) {
    this.relay = new OutboxRelay(moves.collection, publisher, logger);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  async move(caller: Principal, communityId: string, buildingId: string, dto: MoveBuildingDto): Promise<BuildingMoveView> {
    const community = await this.hierarchy.managedCommunity(caller, communityId);
    const target = await this.hierarchy.node(community._id, dto.gridId, NodeKind.Grid, 'gridId');
    // One move of a building at a time, across instances: the read-check-write below is not atomic otherwise.
    return this.locks.run(`building-move:${buildingId}`, async () => {
      const building = await this.hierarchy.node(community._id, buildingId, NodeKind.Building, 'buildingId');
      await this.finishLastMove(community._id, building._id);
      const current = await this.hierarchy.node(community._id, buildingId, NodeKind.Building, 'buildingId');
      if (String(current.gridId) === String(target._id)) {
        throw new DomainException(ErrorCode.INVALID_TRANSITION, 'The building is already in this grid', [
          { field: 'gridId', reason: 'the building is already in this grid' },
        ]);
      }
      if ((await this.nodes.takenCodes(String(target._id), [current.code])).length > 0) {
        throw new DomainException(ErrorCode.CODE_TAKEN, `Grid ${target.code} already has a building ${current.code}`, [
          { field: 'gridId', reason: 'a building with the same code is already in this grid' },
        ]);
      }
      const now = new Date();
      const record: BuildingMove = {
        _id: new Types.ObjectId(),
        communityId: community._id,
        buildingId: current._id,
        buildingCode: current.code,
        fromGridId: current.gridId!,
        toGridId: target._id,
        fromAreaId: current.areaId!,
        toAreaId: target.areaId!,
        at: now,
        by: caller.sub,
        ...(dto.note && { note: dto.note }),
        outbox: [
          newEvent(
            GridHierarchyEvents.buildingMoved,
            {
              buildingId: String(current._id),
              buildingCode: current.code,
              fromGridId: String(current.gridId),
              toGridId: String(target._id),
              fromAreaId: String(current.areaId),
              toAreaId: String(target.areaId),
              movedAt: now.toISOString(),
            },
            { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
          ),
        ],
      };
      // The move (with its event) is written first; the nodes follow. A crash in between is finished by the
      // next move of this building (finishLastMove), never leaving a published move unapplied for good.
      await this.moves.insert(record);
      let applied: { unitsMoved: number; residentsMoved: number };
      try {
        applied = await this.apply(record);
      } catch (error) {
        await this.moves.delete(record._id);
        throw error;
      }
      void this.relay.kick(record._id);
      return {
        buildingId: String(record.buildingId),
        fromGridId: String(record.fromGridId),
        toGridId: String(record.toGridId),
        fromAreaId: String(record.fromAreaId),
        toAreaId: String(record.toAreaId),
        ...applied,
        movedAt: now.toISOString(),
      };
    }, { leaseMs: 60_000 });
  }

  /** Re-applies the building's last move: a no-op when it completed, the rest of it when it stopped half-way. */
  private async finishLastMove(communityId: Types.ObjectId, buildingId: Types.ObjectId): Promise<void> {
    const last = await this.moves.last(communityId, buildingId);
    if (last) await this.apply(last);
  }

  private async apply(move: BuildingMove): Promise<{ unitsMoved: number; residentsMoved: number }> {
    const unitsMoved = await this.nodes.moveBuilding(move.communityId, move.buildingId, {
      _id: move.toGridId,
      areaId: move.toAreaId,
    });
    const residentsMoved = await this.residencies.moveBuilding(move.communityId, move.buildingId, move.toGridId);
    return { unitsMoved, residentsMoved };
  }
}
