import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ClaimPostDto,
  LogServiceDto,
  MembershipPartyRpc,
  PartyMemberDto,
  PartyMemberQueryDto,
  Principal,
  RegistrationDecisionDto,
  RpcRequest,
  ServiceReportQueryDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { PartyService } from './party.service';

type Req<K extends keyof typeof MembershipPartyRpc> = RpcRequest<(typeof MembershipPartyRpc)[K]>;

@Controller()
export class PartyController {
  constructor(private readonly party: PartyService) {}

  @MessagePattern(MembershipPartyRpc.save.subject)
  save(@Caller() caller: Principal, @Payload() req: Req<'save'>) {
    return this.party.save(caller, req.communityId, req.personId, validated(PartyMemberDto, req.member));
  }

  @MessagePattern(MembershipPartyRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: Req<'get'>) {
    return this.party.get(caller, req.communityId, req.personId);
  }

  @MessagePattern(MembershipPartyRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: Req<'list'>) {
    return this.party.list(caller, req.communityId, validated(PartyMemberQueryDto, req.query));
  }

  @MessagePattern(MembershipPartyRpc.requestRegistration.subject)
  request(@Caller() caller: Principal, @Payload() req: Req<'requestRegistration'>) {
    return this.party.requestRegistration(caller, req.communityId, req.personId);
  }

  @MessagePattern(MembershipPartyRpc.decideRegistration.subject)
  decide(@Caller() caller: Principal, @Payload() req: Req<'decideRegistration'>) {
    return this.party.decideRegistration(
      caller,
      req.communityId,
      req.personId,
      validated(RegistrationDecisionDto, req.decision),
    );
  }

  @MessagePattern(MembershipPartyRpc.claimPost.subject)
  claim(@Caller() caller: Principal, @Payload() req: Req<'claimPost'>) {
    return this.party.claimPost(caller, req.communityId, req.personId, validated(ClaimPostDto, req.claim));
  }

  @MessagePattern(MembershipPartyRpc.logService.subject)
  log(@Caller() caller: Principal, @Payload() req: Req<'logService'>) {
    return this.party.logService(
      caller,
      req.communityId,
      req.personId,
      validated(LogServiceDto, req.service),
    );
  }

  @MessagePattern(MembershipPartyRpc.report.subject)
  report(@Caller() caller: Principal, @Payload() req: Req<'report'>) {
    return this.party.report(
      caller,
      req.communityId,
      req.personId,
      validated(ServiceReportQueryDto, req.query),
    );
  }

  @MessagePattern(MembershipPartyRpc.reportCsv.subject)
  reportCsv(@Caller() caller: Principal, @Payload() req: Req<'reportCsv'>) {
    return this.party.reportCsv(
      caller,
      req.communityId,
      req.personId,
      validated(ServiceReportQueryDto, req.query),
    );
  }

  @MessagePattern(MembershipPartyRpc.coverage.subject)
  coverage(@Caller() caller: Principal, @Payload() req: Req<'coverage'>) {
    return this.party.coverage(caller, req.communityId);
  }
}
