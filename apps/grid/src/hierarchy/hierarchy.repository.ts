import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode, EventEnvelope, NodeKind, Page } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import {
  CommunityFilter,
  PageRequest,
  findOneById,
  insertOnce,
  isDuplicateKey,
  newId,
  pageFilter,
  paginate,
} from '@cg/persistence';
import type { FilterQuery } from 'mongoose';
import { Model, Types } from 'mongoose';
import { HierarchyNode, PendingMove, RunningImport } from './node.schema';
import { byRank, inForce } from './staff-terms';
import { StaffAssignment } from './staff.schema';

export type NodeRecord = HierarchyNode;
export type StaffRecord = StaffAssignment;

@Injectable()
export class HierarchyRepository implements OnModuleInit {
  constructor(
    @InjectModel(HierarchyNode.name) private readonly nodes: Model<HierarchyNode>,
    @InjectModel(StaffAssignment.name) private readonly staff: Model<StaffAssignment>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.nodes.createIndexes();
    await this.staff.createIndexes();
  }

  /** A new node; a retried creation answers the node it made; another node's code in the same parent is refused. */
  async insertNode(node: Omit<NodeRecord, '_id'> & { _id?: Types.ObjectId }): Promise<NodeRecord> {
    try {
      return (await insertOnce(this.nodes, { ...node, _id: node._id ?? newId(`node:${node.kind}`) })).doc;
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new DomainException(
          ErrorCode.CODE_TAKEN,
          `Code "${node.code}" is already used in this parent`,
          [{ field: 'code', reason: 'already used in this parent' }],
        );
      }
      throw error;
    }
  }

  findNode(filter: CommunityFilter<HierarchyNode>): Promise<NodeRecord | null> {
    return findOneById<NodeRecord>(this.nodes, filter, { outbox: 0 });
  }

  findNodes(communityId: Types.ObjectId, ids: Types.ObjectId[]): Promise<NodeRecord[]> {
    return this.nodes
      .find({ communityId, _id: { $in: ids } }, { outbox: 0 })
      .lean<NodeRecord[]>()
      .exec();
  }

  /** A page of every community (the district's view, across communities). */
  listCommunities<V>(page: PageRequest, map: (doc: NodeRecord) => V): Promise<Page<V>> {
    return paginate(this.nodes, { kind: NodeKind.Community }, page, map, { outbox: 0 });
  }

  listKinds(communityId: Types.ObjectId, kinds: NodeKind[]): Promise<NodeRecord[]> {
    return this.nodes
      .find({ communityId, kind: { $in: kinds } }, { outbox: 0 })
      .sort({ code: 1 })
      .lean<NodeRecord[]>()
      .exec();
  }

  /** Codes among `codes` already used in the parent, by nodes other than `except`. */
  async takenCodes(parentKey: string, codes: string[], except?: Types.ObjectId): Promise<string[]> {
    return (await this.holdersOf(parentKey, codes, except)).map((n) => n.code);
  }

  /** The nodes under `parentKey` that hold these codes, id and code only. */
  holdersOf(parentKey: string, codes: string[], except?: Types.ObjectId): Promise<Pick<NodeRecord, '_id' | 'code'>[]> {
    return this.nodes
      .find({ parentKey, code: { $in: codes }, ...(except && { _id: { $ne: except } }) }, { code: 1 })
      .lean<Pick<NodeRecord, '_id' | 'code'>[]>()
      .exec();
  }

  /** Which of these ids are stored. */
  async existingIds(ids: Types.ObjectId[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const page = await this.nodes.find({ _id: { $in: ids.slice(i, i + 1000) } }, { _id: 1 }).lean().exec();
      for (const node of page) found.add(String(node._id));
    }
    return found;
  }

  /**
   * Inserts buildings and their units as one batch. Without multi-document transactions a failure part-way
   * is undone by deleting everything of the batch, so no half-built building stays behind.
   */
  async insertBatch(nodes: NodeRecord[]): Promise<void> {
    try {
      for (let i = 0; i < nodes.length; i += 1000) {
        await this.nodes.insertMany(nodes.slice(i, i + 1000), { ordered: true, lean: true });
      }
    } catch (error) {
      await this.nodes.deleteMany({ _id: { $in: nodes.map((n) => n._id) } });
      if (isDuplicateKey(error)) {
        throw new DomainException(
          ErrorCode.CODE_TAKEN,
          'A building code was taken while the batch was written',
        );
      }
      throw error;
    }
  }

  listUnits<V>(
    communityId: Types.ObjectId,
    buildingId: Types.ObjectId,
    page: PageRequest,
    map: (doc: NodeRecord) => V,
  ): Promise<Page<V>> {
    return paginate(this.nodes, { communityId, buildingId, kind: NodeKind.Unit }, page, map, { outbox: 0 });
  }

  listCommunityUnits<V>(
    communityId: Types.ObjectId,
    page: PageRequest,
    map: (doc: NodeRecord) => V,
  ): Promise<Page<V>> {
    return paginate(this.nodes, { communityId, kind: NodeKind.Unit }, page, map, { outbox: 0 });
  }

  /** A new assignment; a retried one answers the assignment it made. */
  async insertStaff(assignment: StaffRecord): Promise<StaffRecord> {
    return (await insertOnce(this.staff, assignment)).doc;
  }

  /** Assignments in force at `at` at these nodes, by position rank; an ending recorded apart is honoured. */
  async currentStaff(
    communityId: Types.ObjectId,
    nodeIds: Types.ObjectId[],
    at = new Date(),
  ): Promise<StaffRecord[]> {
    const found = await this.staff
      .find(
        {
          communityId,
          nodeId: { $in: nodeIds },
          since: { $lte: at },
          $or: [{ until: { $exists: false } }, { until: null }, { until: { $gt: at } }],
        },
        { outbox: 0 },
      )
      .lean<StaffRecord[]>()
      .exec();
    return found.filter((s) => inForce(s, at)).sort(byRank);
  }

  /** Terms of `seat` that end by `from` give the seat up to a term starting then. */
  async releaseSeat(seat: string, from: Date): Promise<void> {
    await this.staff.updateMany({ seat, until: { $lte: from } }, { $unset: { seat: 1 } }).exec();
  }

  seatHolder(seat: string): Promise<StaffRecord | null> {
    return this.staff.findOne({ seat }, { outbox: 0 }).lean<StaffRecord>().exec();
  }

  /** The nodes where this person or account holds a staff term in force at `at`. */
  async staffedBy(
    communityId: Types.ObjectId,
    holder: { personId?: Types.ObjectId; accountId: string },
    at = new Date(),
  ): Promise<NodeRecord[]> {
    const holders: FilterQuery<StaffAssignment>[] = [{ communityId, accountId: holder.accountId }];
    if (holder.personId) holders.push({ communityId, personId: holder.personId });
    const terms = await this.staff
      .find(holders.length > 1 ? { $or: holders } : holders[0], { nodeId: 1, since: 1, until: 1 })
      .lean<Pick<StaffRecord, 'nodeId' | 'since' | 'until'>[]>()
      .exec();
    const held = terms.filter((t) => inForce(t, at)).map((t) => t.nodeId);
    return held.length ? this.findNodes(communityId, held) : [];
  }

  findStaff(communityId: Types.ObjectId, id: Types.ObjectId): Promise<StaffRecord | null> {
    return findOneById<StaffRecord>(this.staff, { communityId, _id: id }, { outbox: 0 });
  }

  /** A page of assignments in _id order; `currentAt` keeps those in force then. */
  async listStaff(
    communityId: Types.ObjectId,
    nodeId: Types.ObjectId | undefined,
    currentAt: Date | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ docs: StaffRecord[]; more: boolean }> {
    const filter: FilterQuery<StaffAssignment> = {
      communityId,
      ...(nodeId && { nodeId }),
      ...pageFilter(cursor),
    };
    if (currentAt) {
      filter.since = { $lte: currentAt };
      filter.$or = [{ until: { $exists: false } }, { until: null }, { until: { $gt: currentAt } }];
    }
    const docs = await this.staff
      .find(filter, { outbox: 0 })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<StaffRecord[]>()
      .exec();
    return { docs: docs.slice(0, limit), more: docs.length > limit };
  }

  /**
   * Ends an assignment at `until` with its event, unless someone already ended it: one update guarded by
   * `endedAt` being absent. False when the assignment is gone or was ended first by someone else.
   */
  async endStaff(
    communityId: Types.ObjectId,
    id: Types.ObjectId,
    end: { until: Date; endedAt: Date; endedBy: string; endNote?: string },
    event: EventEnvelope,
  ): Promise<boolean> {
    const result = await this.staff
      .updateOne({ communityId, _id: id, endedAt: { $exists: false } }, { $set: end, ...pushEvents(event) })
      .exec();
    return result.modifiedCount === 1;
  }

  /** Units of these buildings, code and building only: an import compares them with the file. */
  unitsOf(
    communityId: Types.ObjectId,
    buildingIds: Types.ObjectId[],
  ): Promise<Pick<NodeRecord, 'buildingId' | 'code'>[]> {
    if (buildingIds.length === 0) return Promise.resolve([]);
    return this.nodes
      .find(
        { communityId, kind: NodeKind.Unit, buildingId: { $in: buildingIds } },
        { buildingId: 1, code: 1 },
      )
      .lean<Pick<NodeRecord, 'buildingId' | 'code'>[]>()
      .exec();
  }

  /**
   * Writes nodes in batches, parents before children. A failure part-way deletes what this call wrote and
   * rethrows, so a rejected write leaves nothing behind.
   */
  async insertInBatches(nodes: NodeRecord[], batchSize = 1000): Promise<void> {
    let written = 0;
    try {
      for (; written < nodes.length; written += batchSize) {
        await this.nodes.insertMany(nodes.slice(written, written + batchSize), { ordered: true, lean: true });
      }
    } catch (error) {
      await this.deleteNodes(nodes.slice(0, written + batchSize).map((n) => n._id));
      throw error;
    }
  }

  async deleteNodes(ids: Types.ObjectId[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 1000) {
      await this.nodes.deleteMany({ _id: { $in: ids.slice(i, i + 1000) } });
    }
  }

  /** Undoes an import run that never finished. */
  async deleteImported(communityId: Types.ObjectId, importId: string): Promise<number> {
    return (await this.nodes.deleteMany({ communityId, importId })).deletedCount;
  }

  /**
   * Moves a building under another grid and records the move as pending, with its event: one update guarded by
   * the grid the move was decided on and by no other move being pending. False when another move came first.
   */
  async startBuildingMove(
    communityId: Types.ObjectId,
    buildingId: Types.ObjectId,
    move: PendingMove,
    event: EventEnvelope,
  ): Promise<boolean> {
    try {
      const result = await this.nodes
        .updateOne(
          {
            communityId,
            _id: buildingId,
            kind: NodeKind.Building,
            gridId: move.fromGridId,
            moving: { $exists: false },
          },
          {
            $set: {
              parentKey: String(move.toGridId),
              parentId: move.toGridId,
              gridId: move.toGridId,
              areaId: move.toAreaId,
              moving: move,
            },
            ...pushEvents(event),
          },
        )
        .exec();
      return result.modifiedCount === 1;
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new DomainException(
          ErrorCode.CODE_TAKEN,
          'The target grid already has a building with this code',
          [{ field: 'gridId', reason: 'a building with the same code is already in this grid' }],
        );
      }
      throw error;
    }
  }

  /** The units of a building take the grid and area of its move; repeating it changes nothing. */
  async moveUnits(
    communityId: Types.ObjectId,
    buildingId: Types.ObjectId,
    move: PendingMove,
  ): Promise<number> {
    const units = await this.nodes
      .updateMany(
        { communityId, buildingId, kind: NodeKind.Unit },
        { $set: { gridId: move.toGridId, areaId: move.toAreaId } },
      )
      .exec();
    return units.matchedCount;
  }

  /** Clears the pending move started at `at` once its units and residents followed. */
  async finishBuildingMove(communityId: Types.ObjectId, buildingId: Types.ObjectId, at: Date): Promise<void> {
    await this.nodes
      .updateOne({ communityId, _id: buildingId, 'moving.at': at }, { $unset: { moving: 1 } })
      .exec();
  }

  /** Buildings of every community whose move started before `before` and is still pending: the sweep's work list. */
  stalledMoves(before: Date, limit: number): Promise<NodeRecord[]> {
    return this.nodes
      .find({ 'moving.at': { $lte: before } }, { outbox: 0 })
      .sort({ 'moving.at': 1 })
      .limit(limit)
      .lean<NodeRecord[]>()
      .exec();
  }

  /**
   * Takes the community's import slot: one update guarded by no import running, or by the running one having
   * started before `staleBefore` (its process is taken as gone). Answers the community as it was before, or null
   * when another import holds the slot.
   */
  async takeImport(
    communityId: Types.ObjectId,
    running: RunningImport,
    staleBefore: Date,
  ): Promise<NodeRecord | null> {
    return this.nodes
      .findOneAndUpdate(
        {
          communityId,
          _id: communityId,
          kind: NodeKind.Community,
          $or: [{ importing: { $exists: false } }, { 'importing.startedAt': { $lt: staleBefore } }],
        },
        { $set: { importing: running } },
        { returnDocument: 'before', projection: { outbox: 0 } },
      )
      .lean<NodeRecord>()
      .exec();
  }

  async releaseImport(communityId: Types.ObjectId, importId: string): Promise<void> {
    await this.nodes
      .updateOne(
        { communityId, _id: communityId, 'importing.importId': importId },
        { $unset: { importing: 1 } },
      )
      .exec();
  }
}
