import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  ActionItemStatus,
  DomainException,
  EventEnvelope,
  ErrorCode,
  MeetingKind,
  MeetingPage,
  MeetingStatus,
} from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, PageRequest, findOneById, insertOnce, isDuplicateKey, paginate } from '@cg/persistence';
import { FilterQuery, Model, QueryOptions, Types, UpdateQuery } from 'mongoose';
import { GridCase } from '../cases/case.schema';
import { MonthCase } from './meeting-agenda';
import { Meeting } from './meeting.schema';

export type MeetingRecord = Meeting;

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

  /** A new meeting; a retried scheduling answers the meeting it made. */
  async insert(meeting: MeetingRecord): Promise<MeetingRecord> {
    try {
      return (await insertOnce(this.meetings, meeting)).doc;
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
    return findOneById<MeetingRecord>(this.meetings, filter);
  }

  list(
    filter: CommunityFilter<Meeting>,
    page: PageRequest,
    map: (doc: MeetingRecord) => MeetingPage['items'][number],
  ): Promise<MeetingPage> {
    return paginate(this.meetings, filter, page, map, {
      submissions: 0,
      agenda: 0,
      attendees: 0,
      minutes: 0,
      decisions: 0,
      actionItems: 0,
    });
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

  /**
   * Applies one change to the meeting while it still matches `guard`, bumping its version; answers the meeting as
   * it was just before (the caller applies the change to it), or null when the guard no longer held.
   */
  change(
    communityId: Types.ObjectId,
    id: Types.ObjectId,
    guard: FilterQuery<Meeting>,
    update: UpdateQuery<Meeting>,
    options: Pick<QueryOptions, 'arrayFilters'> = {},
  ): Promise<MeetingRecord | null> {
    return this.meetings
      .findOneAndUpdate(
        { ...guard, communityId, _id: id },
        { ...update, $inc: { version: 1 } },
        {
          ...options,
          returnDocument: 'before',
        },
      )
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
      .lean<{ _id: Types.ObjectId; category: string; buildingId: Types.ObjectId; reportedAt: Date }[]>()
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

  /** Meetings of every community with an open item due on one of `dates` and not yet reminded of: the sweep's work. */
  dueForReminder(dates: string[], limit: number): Promise<Pick<MeetingRecord, '_id' | 'communityId' | 'actionItems'>[]> {
    return this.meetings
      .find(
        {
          actionItems: {
            $elemMatch: { status: ActionItemStatus.Open, dueDate: { $in: dates }, reminderSentAt: { $exists: false } },
          },
        },
        { communityId: 1, actionItems: 1 },
      )
      .limit(limit)
      .lean<Pick<MeetingRecord, '_id' | 'communityId' | 'actionItems'>[]>()
      .exec();
  }

  /**
   * Marks one item reminded, with its event in the same update, only while it is open and not yet reminded: of
   * several instances sweeping at once, exactly one write lands. Neither version moves, so no edit is refused for it.
   */
  async markReminded(meetingId: Types.ObjectId, itemId: string, at: Date, event: EventEnvelope): Promise<boolean> {
    const unreminded = { id: itemId, status: ActionItemStatus.Open, reminderSentAt: { $exists: false } };
    const result = await this.meetings
      .updateOne(
        { _id: meetingId, actionItems: { $elemMatch: unreminded } },
        { $set: { 'actionItems.$[item].reminderSentAt': at }, ...pushEvents(event) },
        { arrayFilters: [{ 'item.id': itemId, 'item.reminderSentAt': { $exists: false } }] },
      )
      .exec();
    return result.modifiedCount === 1;
  }
}
