import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { ActivitiesRpc, CompleteShiftDto, CreateShiftDto, ListShiftsQueryDto, PageQueryDto, Principal, RpcRequest } from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { ShiftsService } from './shifts.service';

@Controller()
export class ShiftsController {
  constructor(private readonly shifts: ShiftsService) {}

  @MessagePattern(ActivitiesRpc.createShift.subject)
  create(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.createShift>) {
    return this.shifts.create(caller, req.communityId, validated(CreateShiftDto, req.shift));
  }

  @MessagePattern(ActivitiesRpc.listShifts.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.listShifts>) {
    return this.shifts.list(caller, req.communityId, validated(ListShiftsQueryDto, req.query));
  }

  @MessagePattern(ActivitiesRpc.signUp.subject)
  signUp(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.signUp>) {
    return this.shifts.signUp(caller, req.communityId, req.shiftId);
  }

  @MessagePattern(ActivitiesRpc.listSignUps.subject)
  signUps(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.listSignUps>) {
    return this.shifts.listSignUps(caller, req.communityId, req.shiftId, validated(PageQueryDto, req.page));
  }

  @MessagePattern(ActivitiesRpc.confirmSignUp.subject)
  confirm(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.confirmSignUp>) {
    return this.shifts.confirm(caller, req.communityId, req.shiftId, req.signUpId);
  }

  @MessagePattern(ActivitiesRpc.completeSignUp.subject)
  complete(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.completeSignUp>) {
    return this.shifts.complete(caller, req.communityId, req.shiftId, req.signUpId, validated(CompleteShiftDto, req.completion));
  }
}
