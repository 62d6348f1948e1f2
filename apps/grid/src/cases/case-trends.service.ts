import { Injectable } from '@nestjs/common';
import {
  CaseTrendsQueryDto,
  CaseTrendsView,
  DomainException,
  ErrorCode,
  Principal,
  Role,
  TrendInterval,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { objectId } from '@cg/persistence';
import { MAX_PERIODS, PERIOD_FORMAT, defaultFrom, periodsBetween, trendSeries } from './case-trends';
import { CasesRepository } from './cases.repository';

const HANDLERS = [Role.GridWorker, ...COMMUNITY_MANAGERS];

/** Monthly or weekly series of the community's cases, counted by the database per period and key. */
@Injectable()
export class CaseTrendsService {
  constructor(private readonly cases: CasesRepository) {}

  async trends(caller: Principal, communityId: string, query: CaseTrendsQueryDto): Promise<CaseTrendsView> {
    assertCommunityAccess(caller, communityId);
    assertRole(caller, HANDLERS);
    const interval = query.interval ?? TrendInterval.Month;
    const to = query.to ? new Date(query.to) : new Date();
    const from = query.from ? new Date(query.from) : defaultFrom(to, interval);
    if (!(from < to)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The period must end after it starts', [
        { field: 'to', reason: 'must be after from' },
      ]);
    }
    const periods = periodsBetween(from, to, interval, MAX_PERIODS[interval]);
    if (periods.length > MAX_PERIODS[interval]) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, `At most ${MAX_PERIODS[interval]} ${interval}s at once`, [
        { field: 'from', reason: `at most ${MAX_PERIODS[interval]} ${interval}s before to` },
      ]);
    }
    const match = { communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND) };
    const format = PERIOD_FORMAT[interval];
    const [filed, closed] = await Promise.all([
      this.cases.filedTrend(match, from, to, format, query.by),
      this.cases.closedTrend(match, from, to, format, query.by),
    ]);
    return {
      communityId,
      interval,
      ...(query.by && { by: query.by }),
      from: from.toISOString(),
      to: to.toISOString(),
      periods,
      series: trendSeries(periods, filed, closed),
    };
  }
}
