import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode, NodeKind } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { HierarchyNode } from './node.schema';
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
  ) {}

  async onModuleInit(): Promise<void> {
    await this.nodes.createIndexes();
    await this.staff.createIndexes();
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

  async insertStaff(assignment: Omit<StaffRecord, '_id'>): Promise<StaffRecord> {
    return (await this.staff.create(assignment)).toObject();
  }

  currentStaff(communityId: Types.ObjectId, nodeIds: Types.ObjectId[], at = new Date()): Promise<StaffRecord[]> {
    return this.staff
      .find({
        communityId,
        nodeId: { $in: nodeIds },
        since: { $lte: at },
        $or: [{ until: { $exists: false } }, { until: null }, { until: { $gt: at } }],
      })
      .sort({ position: 1, since: 1 })
      .lean<StaffRecord[]>()
      .exec();
  }
}
