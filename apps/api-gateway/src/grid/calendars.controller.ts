import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CalendarYearDto, CalendarYearView, GridCalendarRpc, Role, WorkCalendarView } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';

export class CalendarPath {
  @ApiProperty({ example: 'Xuhui District', description: '`national`, or a district name as its communities give it' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  scope: string;
}

export class CalendarYearPath extends CalendarPath {
  @ApiProperty({ example: 2027, minimum: 2000, maximum: 2100 })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year: number;
}

@ApiTags('grid')
@Controller('calendars')
export class CalendarsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(Role.CommunityStaff, Role.GridWorker, Role.DistrictAdmin)
  @Get(':scope')
  @ApiOperation({
    summary: 'The working calendar case deadlines run on: the national years and a district’s own days',
    description:
      '`through` is the last date the holidays are known for. A case whose deadline falls after it is filed with ' +
      '`deadlineProvisional: true` (weekends off, holidays not yet known); enter the next year before then.',
  })
  @ApiOkResponse({ type: WorkCalendarView })
  @ApiSecured(400)
  get(@Param() path: CalendarPath): Promise<WorkCalendarView> {
    return this.rpc.send(GridCalendarRpc.get, { scope: path.scope });
  }

  @Roles(Role.DistrictAdmin)
  @Put(':scope/:year')
  @ApiOperation({
    summary: 'Enter or correct one year of a calendar (national holidays, or a district’s own days)',
    description:
      'Send revision 0 (or none) to enter a year, the revision read to change it; a stale revision answers 409 with the ' +
      'current one. Dates must be in the year; make-up working days must be Saturdays or Sundays. Earlier versions ' +
      'are kept. Deadlines computed from now on use the change; a replica sees it within 30 s.',
  })
  @ApiOkResponse({ type: CalendarYearView })
  @ApiSecured(400, 409)
  putYear(@Param() path: CalendarYearPath, @Body() body: CalendarYearDto): Promise<CalendarYearView> {
    return this.rpc.send(GridCalendarRpc.putYear, { scope: path.scope, year: path.year, days: body });
  }
}
