import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ActivitiesRpc,
  CheckInDto,
  CreateActivityDto,
  ListActivitiesQueryDto,
  ListRegistrationsQueryDto,
  Principal,
  RegisterForActivityDto,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { ActivitiesService } from './activities.service';
import { RegistrationsService } from './registrations.service';

@Controller()
export class ActivitiesController {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly registrations: RegistrationsService,
  ) {}

  @MessagePattern(ActivitiesRpc.createActivity.subject)
  create(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.createActivity>) {
    return this.activities.create(caller, req.communityId, validated(CreateActivityDto, req.activity));
  }

  @MessagePattern(ActivitiesRpc.listActivities.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.listActivities>) {
    return this.activities.list(caller, req.communityId, validated(ListActivitiesQueryDto, req.query));
  }

  @MessagePattern(ActivitiesRpc.getActivity.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.getActivity>) {
    return this.activities.get(caller, req.communityId, req.activityId);
  }

  @MessagePattern(ActivitiesRpc.publishActivity.subject)
  publish(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.publishActivity>) {
    return this.activities.take(caller, req.communityId, req.activityId, 'publish');
  }

  @MessagePattern(ActivitiesRpc.cancelActivity.subject)
  cancel(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.cancelActivity>) {
    return this.registrations.cancelActivity(caller, req.communityId, req.activityId);
  }

  @MessagePattern(ActivitiesRpc.finishActivity.subject)
  finish(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.finishActivity>) {
    return this.activities.take(caller, req.communityId, req.activityId, 'finish');
  }

  @MessagePattern(ActivitiesRpc.register.subject)
  register(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.register>) {
    return this.registrations.register(caller, req.communityId, req.activityId, validated(RegisterForActivityDto, req.registration));
  }

  @MessagePattern(ActivitiesRpc.listRegistrations.subject)
  registrationsOf(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.listRegistrations>) {
    return this.registrations.list(caller, req.communityId, req.activityId, validated(ListRegistrationsQueryDto, req.query));
  }

  @MessagePattern(ActivitiesRpc.myRegistration.subject)
  mine(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.myRegistration>) {
    return this.registrations.mine(caller, req.communityId, req.activityId);
  }

  @MessagePattern(ActivitiesRpc.cancelRegistration.subject)
  cancelRegistration(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.cancelRegistration>) {
    return this.registrations.cancel(caller, req.communityId, req.activityId, req.registrationId);
  }

  @MessagePattern(ActivitiesRpc.checkIn.subject)
  checkIn(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.checkIn>) {
    return this.registrations.checkIn(caller, req.communityId, req.activityId, validated(CheckInDto, req.checkIn));
  }

  @MessagePattern(ActivitiesRpc.attendance.subject)
  attendance(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.attendance>) {
    return this.registrations.attendance(caller, req.communityId, req.activityId);
  }
}
