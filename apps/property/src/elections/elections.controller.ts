import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CompositionSuggestionDto,
  CreateElectionDto,
  ElectionBallotDto,
  ElectionRpc,
  NominateCandidateDto,
  NominationSuggestionDto,
  Principal,
  PublicNoticeDto,
  QualificationReviewDto,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { ElectionsService } from './elections.service';

@Controller()
export class ElectionsController {
  constructor(private readonly elections: ElectionsService) {}

  @MessagePattern(ElectionRpc.create.subject)
  create(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ElectionRpc.create>) {
    return this.elections.create(caller, req.communityId, validated(CreateElectionDto, req.election));
  }

  @MessagePattern(ElectionRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ElectionRpc.get>) {
    return this.elections.get(caller, req.communityId, req.electionId);
  }

  @MessagePattern(ElectionRpc.nominate.subject)
  nominate(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ElectionRpc.nominate>) {
    return this.elections.nominate(caller, req.communityId, req.electionId, validated(NominateCandidateDto, req.candidate));
  }

  @MessagePattern(ElectionRpc.suggestNominations.subject)
  suggestNominations(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ElectionRpc.suggestNominations>) {
    return this.elections.suggestNominations(caller, req.communityId, req.electionId, validated(NominationSuggestionDto, req.suggestion));
  }

  @MessagePattern(ElectionRpc.suggestComposition.subject)
  suggestComposition(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ElectionRpc.suggestComposition>) {
    return this.elections.suggestComposition(caller, req.communityId, req.electionId, validated(CompositionSuggestionDto, req.suggestion));
  }

  @MessagePattern(ElectionRpc.review.subject)
  review(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ElectionRpc.review>) {
    return this.elections.review(caller, req.communityId, req.electionId, req.candidateId, validated(QualificationReviewDto, req.review));
  }

  @MessagePattern(ElectionRpc.publish.subject)
  publish(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ElectionRpc.publish>) {
    return this.elections.publish(caller, req.communityId, req.electionId, validated(PublicNoticeDto, req.notice));
  }

  @MessagePattern(ElectionRpc.startBallot.subject)
  startBallot(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ElectionRpc.startBallot>) {
    return this.elections.startBallot(caller, req.communityId, req.electionId, validated(ElectionBallotDto, req.ballot));
  }
}
