import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CloseMeetingDto,
  GridMeetingRpc,
  HoldMeetingDto,
  LastActionItemsQueryDto,
  MeetingListQueryDto,
  Principal,
  RescheduleMeetingDto,
  RpcRequest,
  ScheduleGridMeetingDto,
  ScheduleJointMeetingDto,
  SubmitAgendaItemDto,
  UpdateActionItemDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { MeetingsService } from './meetings.service';

@Controller()
export class MeetingsController {
  constructor(private readonly meetings: MeetingsService) {}

  @MessagePattern(GridMeetingRpc.scheduleGrid.subject)
  scheduleGrid(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridMeetingRpc.scheduleGrid>) {
    return this.meetings.scheduleGrid(
      caller,
      req.communityId,
      validated(ScheduleGridMeetingDto, req.meeting),
    );
  }

  @MessagePattern(GridMeetingRpc.scheduleJoint.subject)
  scheduleJoint(
    @Caller() caller: Principal,
    @Payload() req: RpcRequest<typeof GridMeetingRpc.scheduleJoint>,
  ) {
    return this.meetings.scheduleJoint(
      caller,
      req.communityId,
      validated(ScheduleJointMeetingDto, req.meeting),
    );
  }

  @MessagePattern(GridMeetingRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridMeetingRpc.list>) {
    return this.meetings.list(caller, req.communityId, validated(MeetingListQueryDto, req.query));
  }

  @MessagePattern(GridMeetingRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridMeetingRpc.get>) {
    return this.meetings.get(caller, req.communityId, req.meetingId, req.language);
  }

  @MessagePattern(GridMeetingRpc.reschedule.subject)
  reschedule(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridMeetingRpc.reschedule>) {
    return this.meetings.reschedule(
      caller,
      req.communityId,
      req.meetingId,
      validated(RescheduleMeetingDto, req.change),
    );
  }

  @MessagePattern(GridMeetingRpc.submitItem.subject)
  submitItem(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridMeetingRpc.submitItem>) {
    return this.meetings.submitItem(
      caller,
      req.communityId,
      req.meetingId,
      validated(SubmitAgendaItemDto, req.item),
    );
  }

  @MessagePattern(GridMeetingRpc.hold.subject)
  hold(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridMeetingRpc.hold>) {
    return this.meetings.hold(caller, req.communityId, req.meetingId, validated(HoldMeetingDto, req.record));
  }

  @MessagePattern(GridMeetingRpc.close.subject)
  close(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridMeetingRpc.close>) {
    return this.meetings.close(caller, req.communityId, req.meetingId, validated(CloseMeetingDto, req.step));
  }

  @MessagePattern(GridMeetingRpc.updateActionItem.subject)
  updateActionItem(
    @Caller() caller: Principal,
    @Payload() req: RpcRequest<typeof GridMeetingRpc.updateActionItem>,
  ) {
    return this.meetings.updateActionItem(
      caller,
      req.communityId,
      req.meetingId,
      req.itemId,
      validated(UpdateActionItemDto, req.change),
    );
  }

  @MessagePattern(GridMeetingRpc.lastActionItems.subject)
  lastActionItems(
    @Caller() caller: Principal,
    @Payload() req: RpcRequest<typeof GridMeetingRpc.lastActionItems>,
  ) {
    return this.meetings.lastActionItems(
      caller,
      req.communityId,
      validated(LastActionItemsQueryDto, req.query),
    );
  }
}
