import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { CastVoteDto, CreateBallotDto, PageQueryDto, PaperVoteDto, Principal, PropertyRpc, RecordProxyDto, RevokeProxyDto, RpcRequest } from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { BallotsService } from './ballots.service';

@Controller()
export class BallotsController {
  constructor(private readonly ballots: BallotsService) {}

  @MessagePattern(PropertyRpc.createBallot.subject)
  create(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.createBallot>) {
    return this.ballots.create(caller, req.communityId, validated(CreateBallotDto, req.ballot));
  }

  @MessagePattern(PropertyRpc.listBallots.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.listBallots>) {
    return this.ballots.list(caller, req.communityId, validated(PageQueryDto, req.page));
  }

  @MessagePattern(PropertyRpc.getBallot.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.getBallot>) {
    return this.ballots.get(caller, req.communityId, req.ballotId);
  }

  @MessagePattern(PropertyRpc.openBallot.subject)
  open(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.openBallot>) {
    return this.ballots.open(caller, req.communityId, req.ballotId);
  }

  @MessagePattern(PropertyRpc.castVote.subject)
  castVote(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.castVote>) {
    return this.ballots.castVote(caller, req.communityId, req.ballotId, validated(CastVoteDto, req.vote));
  }

  @MessagePattern(PropertyRpc.recordPaperVote.subject)
  recordPaperVote(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.recordPaperVote>) {
    return this.ballots.recordPaperVote(caller, req.communityId, req.ballotId, validated(PaperVoteDto, req.vote));
  }

  @MessagePattern(PropertyRpc.ballotProgress.subject)
  progress(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.ballotProgress>) {
    return this.ballots.progress(caller, req.communityId, req.ballotId);
  }

  @MessagePattern(PropertyRpc.closeBallot.subject)
  close(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.closeBallot>) {
    return this.ballots.close(caller, req.communityId, req.ballotId);
  }

  @MessagePattern(PropertyRpc.getResult.subject)
  result(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.getResult>) {
    return this.ballots.result(caller, req.communityId, req.ballotId);
  }

  @MessagePattern(PropertyRpc.verifyResult.subject)
  verify(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.verifyResult>) {
    return this.ballots.verify(caller, req.communityId, req.ballotId);
  }

  @MessagePattern(PropertyRpc.recordProxy.subject)
  recordProxy(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.recordProxy>) {
    return this.ballots.recordProxy(caller, req.communityId, req.ballotId, validated(RecordProxyDto, req.proxy));
  }

  @MessagePattern(PropertyRpc.revokeProxy.subject)
  revokeProxy(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyRpc.revokeProxy>) {
    return this.ballots.revokeProxy(caller, req.communityId, req.ballotId, req.proxyId, validated(RevokeProxyDto, req.revocation));
  }
}
