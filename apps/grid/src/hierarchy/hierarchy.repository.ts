import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode, NodeKind } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import type { Collection } from 'mongodb';
import type { FilterQuery } from 'mongoose';
import { Model, Types } from 'mongoose';
import { HierarchyNode } from './node.schema';
import { StaffEnd, staffEndId } from './staff-end.schema';
import { byRank, inForce } from './staff-terms';
import { StaffAssignment } from './staff.schema';

export type NodeRecord = HierarchyNode;
export type StaffRecord = StaffAssignment;

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

@Injectable()
export class HierarchyRepository implements OnModuleInit {
  constructor(
    @InjectModel(HierarchyNode.name) private readonly nodes: Model<HierarchyNode>,
    @InjectModel(StaffAssignment.name) private readonly staff: Model<StaffAssignment>,
    @InjectModel(StaffEnd.name) private readonly staffEnds: Model<StaffEnd>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.nodes.createIndexes();
    await this.staff.createIndexes();
    await this.staffEnds.createIndexes();
  }

  async insertNode(node: Omit<NodeRecord, '_id'> & { _id?: Types.ObjectId }): Promise<NodeRecord> {
    try {
      const created = await this.nodes.create(node);
      return created.toObject();
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new DomainException(ErrorCode.CODE_TAKEN, `Code "${node.code}" is already used in this parent`, [
          { field: 'code', reason: 'already used in this parent' },
        ]);
      }
      throw error;
    }
  }

  findNode(filter: CommunityFilter<HierarchyNode>): Promise<NodeRecord | null> {
    return this.nodes.findOne(filter).lean<NodeRecord>().exec();
  }

  findNodes(communityId: Types.ObjectId, ids: Types.ObjectId[]): Promise<NodeRecord[]> {
    return this.nodes.find({ communityId, _id: { $in: ids } }).lean<NodeRecord[]>().exec();
  }

  listCommunities(cursor: string | undefined, limit: number): Promise<NodeRecord[]> {
    return this.nodes
      .find({ kind: NodeKind.Community, ...pageFilter(cursor) })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<NodeRecord[]>()
      .exec();
  }

  listKinds(communityId: Types.ObjectId, kinds: NodeKind[]): Promise<NodeRecord[]> {
    return this.nodes
      .find({ communityId, kind: { $in: kinds } })
      .sort({ code: 1 })
      .lean<NodeRecord[]>()
      .exec();
  }

  async takenCodes(parentKey: string, codes: string[]): Promise<string[]> {
    const found = await this.nodes.find({ parentKey, code: { $in: codes } }, { code: 1 }).lean().exec();
    return found.map((n) => n.code);
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
        throw new DomainException(ErrorCode.CODE_TAKEN, 'A building code was taken while the batch was written');
      }
      throw error;
    }
  }

  listUnits(communityId: Types.ObjectId, buildingId: Types.ObjectId, cursor: string | undefined, limit: number) {
    return this.nodes
      .find({ communityId, buildingId, kind: NodeKind.Unit, ...pageFilter(cursor) })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<NodeRecord[]>()
      .exec();
  }

  listCommunityUnits(communityId: Types.ObjectId, cursor: string | undefined, limit: number) {
    return this.nodes
      .find({ communityId, kind: NodeKind.Unit, ...pageFilter(cursor) })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<NodeRecord[]>()
      .exec();
  }

  async insertStaff(assignment: Omit<StaffRecord, '_id'> & { _id?: Types.ObjectId }): Promise<StaffRecord> {
    return (await this.staff.create(assignment)).toObject();
  }

  /** Assignments in force at `at` at these nodes, by position rank; an ending recorded apart is honoured. */
  async currentStaff(communityId: Types.ObjectId, nodeIds: Types.ObjectId[], at = new Date()): Promise<StaffRecord[]> {
    const found = await this.staff
      .find({
        communityId,
        nodeId: { $in: nodeIds },
        since: { $lte: at },
        $or: [{ until: { $exists: false } }, { until: null }, { until: { $gt: at } }],
      }, { outbox: 0 })
      .lean<StaffRecord[]>()
      .exec();
    return (await this.withEnds(found)).filter((s) => inForce(s, at)).sort(byRank);
  }

  findStaff(communityId: Types.ObjectId, id: Types.ObjectId): Promise<StaffRecord | null> {
    return this.staff.findOne({ communityId, _id: id }, { outbox: 0 }).lean<StaffRecord>().exec();
  }

  /** A page of assignments in _id order; `currentAt` keeps those in force then. */
  async listStaff(
    communityId: Types.ObjectId,
    nodeId: Types.ObjectId | undefined,
    currentAt: Date | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ docs: StaffRecord[]; more: boolean }> {
    const filter: FilterQuery<StaffAssignment> = { communityId, ...(nodeId && { nodeId }), ...pageFilter(cursor) };
    if (currentAt) {
      filter.since = { $lte: currentAt };
      filter.$or = [{ until: { $exists: false } }, { until: null }, { until: { $gt: currentAt } }];
    }
    const docs = await this.staff.find(filter, { outbox: 0 }).sort({ _id: 1 }).limit(limit + 1).lean<StaffRecord[]>().exec();
    return { docs: await this.withEnds(docs.slice(0, limit)), more: docs.length > limit };
  }

  /** Takes the end of an assignment; false when someone else ended it first. */
  async claimStaffEnd(end: StaffEnd): Promise<boolean> {
    try {
      await this.staffEnds.create(end);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  findStaffEnd(assignmentId: Types.ObjectId): Promise<StaffEnd | null> {
    return this.staffEnds.findById(staffEndId(assignmentId), { outbox: 0 }).lean<StaffEnd>().exec();
  }

  /** The copy of the end on the assignment, for queries; the `StaffEnd` record stays the authority. */
  async setStaffUntil(communityId: Types.ObjectId, id: Types.ObjectId, until: Date): Promise<void> {
    await this.staff.updateOne({ communityId, _id: id }, { $set: { until } });
  }

  /** Applies endings whose copy on the assignment is missing (a crash between the claim and the copy). */
  private async withEnds(docs: StaffRecord[]): Promise<StaffRecord[]> {
    if (docs.length === 0) return docs;
    const ends = await this.staffEnds
      .find({ _id: { $in: docs.map((d) => staffEndId(d._id)) } }, { assignmentId: 1, until: 1 })
      .lean<Pick<StaffEnd, 'assignmentId' | 'until'>[]>()
      .exec();
    if (ends.length === 0) return docs;
    const endOf = new Map(ends.map((e) => [String(e.assignmentId), e.until]));
    return docs.map((d) => (endOf.has(String(d._id)) ? { ...d, until: endOf.get(String(d._id)) } : d));
  }

  /** Raw collections for the outbox relays: only the relays update these documents after they are written. */
  get staffCollection(): Collection {
    return this.staff.collection as unknown as Collection;
  }

  get staffEndCollection(): Collection {
    return this.staffEnds.collection as unknown as Collection;
  }

  /** Units of these buildings, code and building only: an import compares them with the file. */
  unitsOf(communityId: Types.ObjectId, buildingIds: Types.ObjectId[]): Promise<Pick<NodeRecord, 'buildingId' | 'code'>[]> {
    if (buildingIds.length === 0) return Promise.resolve([]);
    return this.nodes
      .find({ communityId, kind: NodeKind.Unit, buildingId: { $in: buildingIds } }, { buildingId: 1, code: 1 })
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

  /** Moves a building under another grid; its units keep their building and take the grid and area. */
  async moveBuilding(
    communityId: Types.ObjectId,
    buildingId: Types.ObjectId,
    grid: { _id: Types.ObjectId; areaId: Types.ObjectId },
  ): Promise<number> {
    try {
      await this.nodes.updateOne(
        { communityId, _id: buildingId, kind: NodeKind.Building },
        { $set: { parentKey: String(grid._id), parentId: grid._id, gridId: grid._id, areaId: grid.areaId } },
      );
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new DomainException(ErrorCode.CODE_TAKEN, 'The target grid already has a building with this code', [
          { field: 'gridId', reason: 'a building with the same code is already in this grid' },
        ]);
      }
      throw error;
    }
    const units = await this.nodes.updateMany(
      { communityId, buildingId, kind: NodeKind.Unit },
      { $set: { gridId: grid._id, areaId: grid.areaId } },
    );
    return units.matchedCount;
  }
}
