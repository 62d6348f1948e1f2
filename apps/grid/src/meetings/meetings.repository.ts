import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { CaseCategory, DomainException, ErrorCode, MeetingKind, MeetingStatus } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { GridCase } from '../cases/case.schema';
import { MonthCase } from './meeting-agenda';
import { Meeting } from './meeting.schema';

export type MeetingRecord = Meeting;

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

@Injectable()
export class MeetingsRepository implements OnModuleInit {
  constructor(
    @InjectModel(Meeting.name) private readonly meetings: Model<Meeting>,
    /** The cases collection, read only: the agenda counts the month's cases. */
    @InjectModel(GridCase.name) private readonly cases: Model<GridCase>,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.meetings.createIndexes();
  }

  async insert(meeting: MeetingRecord): Promise<MeetingRecord> {
    try {
      return (await this.meetings.create(meeting)).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) {
        throw new DomainException(
          ErrorCode.DUPLICATE,
          'This grid already has a monthly meeting for that month',
          {
            gridId: String(meeting.gridId),
            month: meeting.month,
          },
        );
      }
      throw error;
    }
  }

  findOne(filter: CommunityFilter<Meeting>): Promise<MeetingRecord | null> {
    return this.meetings.findOne(filter).lean<MeetingRecord>().exec();
  }

  list(
    filter: CommunityFilter<Meeting>,
    cursor: string | undefined,
    limit: number,
  ): Promise<MeetingRecord[]> {
    return this.meetings
      .find(
        { ...filter, ...pageFilter(cursor) },
        { submissions: 0, agenda: 0, attendees: 0, minutes: 0, decisions: 0, actionItems: 0 },
      )
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<MeetingRecord[]>()
      .exec();
  }

  lastHeld(
    communityId: Types.ObjectId,
    kind: MeetingKind,
    gridId?: Types.ObjectId,
  ): Promise<MeetingRecord | null> {
    return this.meetings
      .findOne({
        communityId,
        kind,
        ...(gridId && { gridId }),
        status: { $in: [MeetingStatus.Held, MeetingStatus.Closed] },
      })
      .sort({ heldAt: -1, _id: -1 })
      .lean<MeetingRecord>()
      .exec();
  }

  /** Applies the change only if the meeting is still at `version`; false when someone changed it first. */
  async updateAtVersion(
    communityId: Types.ObjectId,
    id: Types.ObjectId,
    version: number,
    set: Partial<Meeting>,
  ): Promise<MeetingRecord | null> {
    return this.meetings
      .findOneAndUpdate({ communityId, _id: id, version }, { $set: set, $inc: { version: 1 } }, { new: true })
      .lean<MeetingRecord>()
      .exec();
  }

  async monthCases(
    communityId: Types.ObjectId,
    gridId: Types.ObjectId,
    from: Date,
    to: Date,
  ): Promise<MonthCase[]> {
    const docs = await this.cases
      .find(
        { communityId, gridId, reportedAt: { $gte: from, $lt: to } },
        { _id: 1, category: 1, buildingId: 1, reportedAt: 1 },
      )
      .lean<{ _id: Types.ObjectId; category: CaseCategory; buildingId: Types.ObjectId; reportedAt: Date }[]>()
      .exec();
    return docs.map((d) => ({
      id: String(d._id),
      category: d.category,
      buildingId: String(d.buildingId),
      reportedAt: d.reportedAt,
    }));
  }

  async existingCaseIds(communityId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const docs = await this.cases
      .find({ communityId, _id: { $in: ids } }, { _id: 1 })
      .lean()
      .exec();
    return new Set(docs.map((d) => String(d._id)));
  }
}
