import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { CaseStatus } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model } from 'mongoose';
import { CaseTally, TallyGroup } from './case-tally';
import { CaseStep } from './case-step.schema';
import { GridCase } from './case.schema';

export type CaseRecord = GridCase;

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

@Injectable()
export class CasesRepository implements OnModuleInit {
  constructor(
    @InjectModel(GridCase.name) private readonly cases: Model<GridCase>,
    @InjectModel(CaseStep.name) private readonly steps: Model<CaseStep>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.cases.createIndexes();
    await this.steps.createIndexes();
  }

  /**
   * The filing step (with its events) is written first: a crash before the case itself is written can
   * only publish an event for a case that was never stored, never lose one for a stored case.
   */
  async insert(record: GridCase, filing: CaseStep): Promise<CaseRecord> {
    await this.steps.create(filing);
    return (await this.cases.create(record)).toObject();
  }

  findOne(filter: CommunityFilter<GridCase>): Promise<CaseRecord | null> {
    return this.cases.findOne(filter).lean<CaseRecord>().exec();
  }

  list(filter: CommunityFilter<GridCase>, cursor: string | undefined, limit: number): Promise<CaseRecord[]> {
    return this.cases
      .find({ ...filter, ...pageFilter(cursor) }, { history: 0 })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<CaseRecord[]>()
      .exec();
  }

  /** Takes the case's current version for one step; false when another writer already took it. */
  async claim(step: CaseStep): Promise<boolean> {
    try {
      await this.steps.create(step);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  findStep(id: string): Promise<CaseStep | null> {
    return this.steps.findById(id).lean<CaseStep>().exec();
  }

  /** Writes the case as the claimed step made it; only the claim holder (or a roll-forward of it) gets here. */
  async replaceAtVersion(next: GridCase, version: number): Promise<boolean> {
    const result = await this.cases.replaceOne(
      { communityId: next.communityId, _id: next._id, version },
      next,
    );
    return result.modifiedCount === 1;
  }

  /** Open cases of every community whose next escalation is due: the clock's work list, not a tenant query. */
  dueForEscalation(now: Date, open: readonly CaseStatus[], limit: number): Promise<CaseRecord[]> {
    return this.cases
      .find({ nextEscalationAt: { $lte: now }, status: { $in: open } })
      .sort({ nextEscalationAt: 1 })
      .limit(limit)
      .lean<CaseRecord[]>()
      .exec();
  }

  /**
   * Counts by category, status and the tally flags. FerretDB v1 groups with $sum only, and its $sum of a
   * field path yields 0, so every figure is a count of a group; the flags are part of the group key.
   */
  async tally(match: CommunityFilter<GridCase>): Promise<TallyGroup[]> {
    type Key = Pick<TallyGroup, 'category' | 'status'> & Omit<CaseTally, 'resolveMinutes'>;
    const rows = await this.cases
      .aggregate<{ _id: Key; count: number }>([
        { $match: match },
        {
          $group: {
            _id: {
              category: '$category',
              status: '$status',
              resolved: '$tally.resolved',
              onTime: '$tally.onTime',
              rated: '$tally.rated',
              satisfied: '$tally.satisfied',
              reopened: '$tally.reopened',
            },
            count: { $sum: 1 },
          },
        },
      ])
      .exec();
    return rows.map(({ _id, count }) => ({
      category: _id.category,
      status: _id.status,
      count,
      resolved: _id.resolved * count,
      onTime: _id.onTime * count,
      resolveMinutes: 0,
      rated: _id.rated * count,
      satisfied: _id.satisfied * count,
      reopened: _id.reopened * count,
    }));
  }

  /** Total minutes from report to resolution of the resolved cases matched, added up here (see tally). */
  async resolveMinutes(match: CommunityFilter<GridCase>): Promise<number> {
    const docs = await this.cases
      .find({ ...match, 'tally.resolved': 1 }, { 'tally.resolveMinutes': 1 })
      .lean<Pick<GridCase, 'tally'>[]>()
      .exec();
    return docs.reduce((total, doc) => total + doc.tally.resolveMinutes, 0);
  }

  /** The step journal's raw collection, for the outbox relay: steps are written once, so only the relay updates them. */
  get stepCollection(): Collection {
    return this.steps.collection as unknown as Collection;
  }
}
