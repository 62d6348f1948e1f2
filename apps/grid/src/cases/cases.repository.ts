import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { CasePage, CaseStatus, CaseTrendDimension } from '@cg/contracts';
import { CommunityFilter, findOneById, insertOnce, paginate } from '@cg/persistence';
import { FilterQuery, Model, UpdateQuery } from 'mongoose';
import { ClosedGroup, FiledGroup, TREND_TIME_ZONE } from './case-trends';
import { TallyGroup } from './case-tally';
import { GridCase } from './case.schema';

export type CaseRecord = GridCase;

/** Fields a reply or a decision never needs: the history is left out of lists, the outbox out of everything. */
const WITHOUT_OUTBOX = { outbox: 0 } as const;

/** The field a trend series is keyed on; `null` groups every case in one series. */
const TREND_KEY: Record<CaseTrendDimension, string> = {
  [CaseTrendDimension.Category]: '$category',
  [CaseTrendDimension.Status]: '$status',
  [CaseTrendDimension.Grid]: '$gridId',
  [CaseTrendDimension.Building]: '$buildingId',
};

type TrendRow<T> = { _id: { period: string; key: unknown } } & T;

@Injectable()
export class CasesRepository implements OnModuleInit {
  constructor(@InjectModel(GridCase.name) private readonly cases: Model<GridCase>) {}

  async onModuleInit(): Promise<void> {
    await this.cases.createIndexes();
  }

  /** Stores a new case with the events its filing causes in its outbox; a retried filing answers the stored case. */
  async insert(record: GridCase): Promise<GridCase> {
    return (await insertOnce(this.cases, record)).doc;
  }

  findOne(filter: CommunityFilter<GridCase>): Promise<CaseRecord | null> {
    return findOneById<CaseRecord>(this.cases, filter, WITHOUT_OUTBOX);
  }

  list(
    filter: CommunityFilter<GridCase>,
    page: { cursor?: string; limit: number },
    map: (doc: CaseRecord) => CasePage['items'][number],
  ): Promise<CasePage> {
    return paginate(this.cases, filter, page, map, { history: 0, outbox: 0 });
  }

  /**
   * One step as one conditional update: it lands only while the case still matches `guard` (the state the step
   * was decided on), with its history entry and events in the same write. False when another step came first.
   */
  async applyStep(guard: FilterQuery<GridCase>, update: UpdateQuery<GridCase>): Promise<boolean> {
    const result = await this.cases.updateOne(guard, update).exec();
    return result.modifiedCount === 1;
  }

  /** Open cases of every community whose next escalation is due: the clock's work list, not a tenant query. */
  dueForEscalation(now: Date, open: readonly CaseStatus[], limit: number): Promise<CaseRecord[]> {
    return this.cases
      .find({ nextEscalationAt: { $lte: now }, status: { $in: open } }, WITHOUT_OUTBOX)
      .sort({ nextEscalationAt: 1 })
      .limit(limit)
      .lean<CaseRecord[]>()
      .exec();
  }

  /** Counts by category and status, with the tally flags summed per group. */
  async tally(match: CommunityFilter<GridCase>): Promise<TallyGroup[]> {
    const rows = await this.cases
      .aggregate<{ _id: Pick<TallyGroup, 'category' | 'status'> } & Omit<TallyGroup, 'category' | 'status'>>([
        { $match: match },
        {
          $group: {
            _id: { category: '$category', status: '$status' },
            count: { $sum: 1 },
            resolved: { $sum: '$tally.resolved' },
            onTime: { $sum: '$tally.onTime' },
            resolveMinutes: { $sum: '$tally.resolveMinutes' },
            rated: { $sum: '$tally.rated' },
            satisfied: { $sum: '$tally.satisfied' },
            reopened: { $sum: '$tally.reopened' },
          },
        },
      ])
      .exec();
    return rows.map(({ _id, ...sums }) => ({ category: _id.category, status: _id.status, ...sums }));
  }

  /** Cases reported in `[from, to)` counted per period and key, with each one's time to sign-for. */
  async filedTrend(
    match: CommunityFilter<GridCase>,
    from: Date,
    to: Date,
    format: string,
    by?: CaseTrendDimension,
  ): Promise<FiledGroup[]> {
    const rows = await this.cases
      .aggregate<TrendRow<Omit<FiledGroup, 'period' | 'key'>>>([
        { $match: { ...match, reportedAt: { $gte: from, $lt: to } } },
        {
          $group: {
            _id: this.trendGroup('$reportedAt', format, by),
            filed: { $sum: 1 },
            signForMs: { $push: { $subtract: ['$acceptedAt', '$reportedAt'] } },
          },
        },
      ])
      .exec();
    return rows.map(({ _id, ...figures }) => ({ period: _id.period, key: String(_id.key ?? 'all'), ...figures }));
  }

  /** Cases closed in `[from, to)` counted per period and key, with each one's time from report to close. */
  async closedTrend(
    match: CommunityFilter<GridCase>,
    from: Date,
    to: Date,
    format: string,
    by?: CaseTrendDimension,
  ): Promise<ClosedGroup[]> {
    const rows = await this.cases
      .aggregate<TrendRow<Omit<ClosedGroup, 'period' | 'key'>>>([
        { $match: { ...match, closedAt: { $gte: from, $lt: to } } },
        {
          $group: {
            _id: this.trendGroup('$closedAt', format, by),
            closed: { $sum: 1 },
            closeMs: { $push: { $subtract: ['$closedAt', '$reportedAt'] } },
            rated: { $sum: '$tally.rated' },
            satisfied: { $sum: '$tally.satisfied' },
          },
        },
      ])
      .exec();
    return rows.map(({ _id, ...figures }) => ({ period: _id.period, key: String(_id.key ?? 'all'), ...figures }));
  }

  private trendGroup(date: string, format: string, by?: CaseTrendDimension) {
    return {
      period: { $dateToString: { format, date, timezone: TREND_TIME_ZONE } },
      key: by ? TREND_KEY[by] : null,
    };
  }
}
