import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CommitteeRpc,
  EndCommitteeTermDto,
  Principal,
  RpcRequest,
  SeatCommitteeDto,
  SeatElectedCommitteeDto,
  VoidCommitteeTermDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { CommitteeService } from './committee.service';

@Controller()
export class CommitteeController {
  constructor(private readonly committee: CommitteeService) {}

  @MessagePattern(CommitteeRpc.seat.subject)
  seat(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CommitteeRpc.seat>) {
    return this.committee.seat(caller, req.communityId, validated(SeatCommitteeDto, req.term));
  }

  @MessagePattern(CommitteeRpc.seatElected.subject)
  seatElected(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CommitteeRpc.seatElected>) {
    return this.committee.seatElected(caller, req.communityId, validated(SeatElectedCommitteeDto, req.term));
  }

  @MessagePattern(CommitteeRpc.endTerm.subject)
  endTerm(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CommitteeRpc.endTerm>) {
    return this.committee.endTerm(
      caller,
      req.communityId,
      req.termId,
      validated(EndCommitteeTermDto, req.end),
    );
  }

  @MessagePattern(CommitteeRpc.voidTerm.subject)
  voidTerm(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CommitteeRpc.voidTerm>) {
    return this.committee.voidTerm(caller, req.communityId, req.termId, validated(VoidCommitteeTermDto, req.voiding));
  }

  @MessagePattern(CommitteeRpc.today.subject)
  today(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CommitteeRpc.today>) {
    return this.committee.today(caller, req.communityId);
  }

  @MessagePattern(CommitteeRpc.history.subject)
  history(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CommitteeRpc.history>) {
    return this.committee.history(caller, req.communityId);
  }
}
