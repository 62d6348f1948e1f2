import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AssignStaffDto,
  EndStaffAssignmentDto,
  GridHierarchyRpc,
  GridRpc,
  Principal,
  ResponsibleQueryDto,
  RpcRequest,
  StaffListQueryDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { StaffService } from './staff.service';

@Controller()
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @MessagePattern(GridRpc.assignStaff.subject)
  assign(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridRpc.assignStaff>) {
    return this.staff.assign(caller, req.communityId, validated(AssignStaffDto, req.staff));
  }

  @MessagePattern(GridHierarchyRpc.endStaff.subject)
  end(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridHierarchyRpc.endStaff>) {
    return this.staff.end(caller, req.communityId, req.assignmentId, validated(EndStaffAssignmentDto, req.end));
  }

  @MessagePattern(GridHierarchyRpc.listStaff.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridHierarchyRpc.listStaff>) {
    return this.staff.list(caller, req.communityId, validated(StaffListQueryDto, req.query));
  }

  @MessagePattern(GridHierarchyRpc.responsible.subject)
  responsible(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridHierarchyRpc.responsible>) {
    return this.staff.responsible(caller, req.communityId, req.buildingId, validated(ResponsibleQueryDto, req.query));
  }
}
