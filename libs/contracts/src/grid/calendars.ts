import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, Matches, Min } from 'class-validator';
import { rpc } from '../rpc';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The calendar every district works to unless it adds days of its own. */
export const NATIONAL_CALENDAR = 'national';

/** One year of a working calendar: the days off and the weekend days worked instead (调休). */
export class CalendarYearDto {
  @ApiProperty({ type: [String], example: ['2027-01-01'], description: 'Local dates off work, `YYYY-MM-DD`, in the year' })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(DATE, { each: true, message: 'each holiday must be a date YYYY-MM-DD' })
  holidays: string[];

  @ApiProperty({
    type: [String],
    example: ['2027-02-20'],
    description: 'Saturdays and Sundays that are working days, `YYYY-MM-DD`, in the year',
  })
  @IsArray()
  @ArrayMaxSize(30)
  @Matches(DATE, { each: true, message: 'each make-up working day must be a date YYYY-MM-DD' })
  makeUpWorkdays: string[];

  @ApiPropertyOptional({
    description: 'The revision this change was made on (from GET); absent or 0 to enter a year not entered yet',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedRevision?: number;
}

export class CalendarYearView {
  @ApiProperty({ example: 2027 }) year: number;
  @ApiProperty({ example: NATIONAL_CALENDAR, description: '`national`, or the district that added these days' })
  scope: string;
  @ApiProperty({ type: [String] }) holidays: string[];
  @ApiProperty({ type: [String] }) makeUpWorkdays: string[];
  @ApiProperty({ description: 'Send it back as expectedRevision to change the year' }) revision: number;
  @ApiProperty() updatedAt: string;
  @ApiProperty() updatedBy: string;
}

export class WorkCalendarView {
  @ApiProperty({ example: 'Xuhui District', description: '`national`, or a district name' })
  scope: string;
  @ApiPropertyOptional({
    example: '2026-12-31',
    description:
      'The last date the calendar covers. A case whose deadline falls after it is filed with a provisional deadline ' +
      '(weekdays only) and says so; enter the next year before then.',
  })
  through?: string;
  @ApiProperty({ type: [CalendarYearView], description: 'The national years, and the district’s own days' })
  years: CalendarYearView[];
}

export const GridCalendarRpc = {
  get: rpc<{ scope: string }, WorkCalendarView>('grid.calendars.get'),
  putYear: rpc<{ scope: string; year: number; days: CalendarYearDto }, CalendarYearView>('grid.calendars.put-year'),
};
