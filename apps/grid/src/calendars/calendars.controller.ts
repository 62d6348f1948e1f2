import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CalendarYearDto, GridCalendarRpc, Principal, RpcRequest } from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { CalendarsService } from './calendars.service';

@Controller()
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @MessagePattern(GridCalendarRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCalendarRpc.get>) {
    return this.calendars.get(caller, String(req.scope));
  }

  @MessagePattern(GridCalendarRpc.putYear.subject)
  putYear(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridCalendarRpc.putYear>) {
    return this.calendars.putYear(caller, String(req.scope), Number(req.year), validated(CalendarYearDto, req.days));
  }
}
