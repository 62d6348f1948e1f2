import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  CalendarYearDto,
  CalendarYearView,
  DomainException,
  ErrorCode,
  NATIONAL_CALENDAR,
  Principal,
  Role,
  WorkCalendarView,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertRole } from '@cg/auth';
import { isDuplicateKey } from '@cg/persistence';
import { Model } from 'mongoose';
import { WorkCalendar } from '../cases/sla-clock';
import { NATIONAL_YEARS, calendarYearProblems, composeCalendar } from './calendar-rules';
import { WorkCalendarYear, calendarYearId } from './calendar.schema';

/** Calendars change a few times a year; a replica sees a change within this. */
const CACHE_MS = 30_000;
const READERS = [...COMMUNITY_MANAGERS, Role.GridWorker, Role.System];

/** Working calendars as data: the national years and each district's own days, entered and corrected by staff. */
@Injectable()
export class CalendarsService implements OnModuleInit {
  private readonly cache = new Map<string, { at: number; calendar: WorkCalendar }>();

  constructor(@InjectModel(WorkCalendarYear.name) private readonly years: Model<WorkCalendarYear>) {}

  /** A new database starts with the published national years; a year already there is left as it is. */
  async onModuleInit(): Promise<void> {
    await this.years.createIndexes();
    const at = new Date();
    await Promise.all(
      NATIONAL_YEARS.map((y) =>
        this.years
          .updateOne(
            { _id: calendarYearId(NATIONAL_CALENDAR, y.year) },
            {
              $setOnInsert: {
                scope: NATIONAL_CALENDAR,
                year: y.year,
                holidays: y.holidays,
                makeUpWorkdays: y.makeUpWorkdays,
                revision: 1,
                updatedAt: at,
                updatedBy: 'published arrangements',
                history: [],
              },
            },
            { upsert: true },
          )
          .exec()
          .catch((error: unknown) => {
            if (!isDuplicateKey(error)) throw error;
          }),
      ),
    );
  }

  /** The calendar a district's deadlines run on: national years plus its own days. */
  async calendarFor(district: string | undefined): Promise<WorkCalendar> {
    const scope = district || NATIONAL_CALENDAR;
    const cached = this.cache.get(scope);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.calendar;
    const { national, local } = await this.load(scope);
    const calendar = composeCalendar(national, local);
    this.cache.set(scope, { at: Date.now(), calendar });
    return calendar;
  }

  async get(caller: Principal, scope: string): Promise<WorkCalendarView> {
    assertRole(caller, READERS);
    const { national, local } = await this.load(scope);
    const { through } = composeCalendar(national, local);
    return { scope, ...(through && { through }), years: [...national, ...local].map(toView) };
  }

  /** Enters a year (revision 0 or none) or changes it on the revision it was read at; district admins only. */
  async putYear(caller: Principal, scope: string, year: number, dto: CalendarYearDto): Promise<CalendarYearView> {
    assertRole(caller, [Role.DistrictAdmin]);
    if (!Number.isInteger(year) || year < 2000 || year > 2100) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The year is not valid', [
        { field: 'year', reason: 'must be a year from 2000 to 2100' },
      ]);
    }
    const days = { holidays: [...new Set(dto.holidays)].sort(), makeUpWorkdays: [...new Set(dto.makeUpWorkdays)].sort() };
    const problems = calendarYearProblems(year, days);
    if (problems.length > 0) throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The calendar year is not valid', problems);
    const _id = calendarYearId(scope, year);
    const at = new Date();
    const seen = dto.expectedRevision ?? 0;
    let stored: WorkCalendarYear | null;
    if (seen === 0) {
      stored = await this.years
        .create({ _id, scope, year, ...days, revision: 1, updatedAt: at, updatedBy: caller.sub, history: [] })
        .then((doc) => doc.toObject())
        .catch(async (error: unknown) => {
          if (!isDuplicateKey(error)) throw error;
          return null;
        });
    } else {
      // The version replaced goes into the history in the same update, guarded by the revision it was read at.
      const current = await this.years.findById(_id, { history: 0 }).lean<WorkCalendarYear>().exec();
      const landed =
        current?.revision === seen &&
        (
          await this.years
            .updateOne(
              { _id, revision: seen },
              {
                $set: { ...days, revision: seen + 1, updatedAt: at, updatedBy: caller.sub },
                $push: {
                  history: {
                    holidays: current.holidays,
                    makeUpWorkdays: current.makeUpWorkdays,
                    revision: seen,
                    by: current.updatedBy,
                    at: current.updatedAt,
                  },
                },
              },
            )
            .exec()
        ).modifiedCount === 1;
      stored = landed ? { ...current, ...days, revision: seen + 1, updatedAt: at, updatedBy: caller.sub } : null;
    }
    if (!stored) {
      const current = await this.years.findById(_id).lean<WorkCalendarYear>().exec();
      throw new DomainException(
        ErrorCode.CONFLICT,
        current
          ? `${scope} ${year} is at revision ${current.revision}; reload it and send that revision`
          : `${scope} ${year} is not entered yet; send revision 0`,
        { currentRevision: current?.revision ?? 0 },
      );
    }
    this.cache.clear();
    return toView(stored);
  }

  private async load(scope: string): Promise<{ national: WorkCalendarYear[]; local: WorkCalendarYear[] }> {
    const scopes = scope === NATIONAL_CALENDAR ? [NATIONAL_CALENDAR] : [NATIONAL_CALENDAR, scope];
    const found = await this.years
      .find({ scope: { $in: scopes } }, { history: 0 })
      .sort({ year: 1 })
      .lean<WorkCalendarYear[]>()
      .exec();
    return {
      national: found.filter((y) => y.scope === NATIONAL_CALENDAR),
      local: found.filter((y) => y.scope !== NATIONAL_CALENDAR),
    };
  }
}

function toView(year: WorkCalendarYear): CalendarYearView {
  return {
    year: year.year,
    scope: year.scope,
    holidays: year.holidays,
    makeUpWorkdays: year.makeUpWorkdays,
    revision: year.revision,
    updatedAt: new Date(year.updatedAt).toISOString(),
    updatedBy: year.updatedBy,
  };
}
