import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AppointDto,
  BodyQueryDto,
  CreateBodyDto,
  EndTermDto,
  MembershipBodyRpc,
  Principal,
  RpcRequest,
  TermQueryDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { BodiesService } from './bodies.service';

@Controller()
export class BodiesController {
  constructor(private readonly bodies: BodiesService) {}

  @MessagePattern(MembershipBodyRpc.create.subject)
  create(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipBodyRpc.create>) {
    return this.bodies.create(caller, req.communityId, validated(CreateBodyDto, req.body));
  }

  @MessagePattern(MembershipBodyRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipBodyRpc.get>) {
    return this.bodies.get(caller, req.communityId, req.bodyId);
  }

  @MessagePattern(MembershipBodyRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipBodyRpc.list>) {
    return this.bodies.list(caller, req.communityId, validated(BodyQueryDto, req.query));
  }

  @MessagePattern(MembershipBodyRpc.appoint.subject)
  appoint(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipBodyRpc.appoint>) {
    return this.bodies.appoint(caller, req.communityId, req.bodyId, validated(AppointDto, req.appointment));
  }

  @MessagePattern(MembershipBodyRpc.endTerm.subject)
  endTerm(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipBodyRpc.endTerm>) {
    return this.bodies.endTerm(caller, req.communityId, req.bodyId, req.termId, validated(EndTermDto, req.end));
  }

  @MessagePattern(MembershipBodyRpc.terms.subject)
  terms(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipBodyRpc.terms>) {
    return this.bodies.terms(caller, req.communityId, req.bodyId, validated(TermQueryDto, req.query));
  }

  @MessagePattern(MembershipBodyRpc.positions.subject)
  positions(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipBodyRpc.positions>) {
    return this.bodies.positions(caller, req.communityId, validated(TermQueryDto, req.query));
  }
}
