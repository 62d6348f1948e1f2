import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  MembershipPartnerRpc,
  PageQueryDto,
  PartnerProfileDto,
  PartnerQueryDto,
  Principal,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { PartnersService } from './partners.service';

@Controller()
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @MessagePattern(MembershipPartnerRpc.save.subject)
  save(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipPartnerRpc.save>) {
    return this.partners.save(caller, req.communityId, req.personId, validated(PartnerProfileDto, req.profile));
  }

  @MessagePattern(MembershipPartnerRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipPartnerRpc.get>) {
    return this.partners.get(caller, req.communityId, req.personId);
  }

  @MessagePattern(MembershipPartnerRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof MembershipPartnerRpc.list>) {
    return this.partners.list(caller, req.communityId, validated(PartnerQueryDto, req.query));
  }

  @MessagePattern(MembershipPartnerRpc.consultations.subject)
  consultations(
    @Caller() caller: Principal,
    @Payload() req: RpcRequest<typeof MembershipPartnerRpc.consultations>,
  ) {
    return this.partners.consultations(caller, req.communityId, req.personId, validated(PageQueryDto, req.page));
  }
}
