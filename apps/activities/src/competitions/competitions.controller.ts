import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CompetitionsRpc,
  CreateCompetitionDto,
  DrawBracketDto,
  CompetitionLeaderboardQueryDto,
  PageQueryDto,
  Principal,
  RecordCompetitionResultDto,
  RecordMatchResultDto,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { CompetitionsService } from './competitions.service';

@Controller()
export class CompetitionsController {
  constructor(private readonly competitions: CompetitionsService) {}

  @MessagePattern(CompetitionsRpc.create.subject)
  create(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CompetitionsRpc.create>) {
    return this.competitions.create(
      caller,
      req.communityId,
      validated(CreateCompetitionDto, req.competition),
    );
  }

  @MessagePattern(CompetitionsRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CompetitionsRpc.list>) {
    return this.competitions.list(caller, req.communityId, validated(PageQueryDto, req.page));
  }

  @MessagePattern(CompetitionsRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CompetitionsRpc.get>) {
    return this.competitions.get(caller, req.communityId, req.competitionId);
  }

  @MessagePattern(CompetitionsRpc.recordResult.subject)
  recordResult(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CompetitionsRpc.recordResult>) {
    return this.competitions.recordResult(
      caller,
      req.communityId,
      req.competitionId,
      validated(RecordCompetitionResultDto, req.result),
    );
  }

  @MessagePattern(CompetitionsRpc.leaderboard.subject)
  leaderboard(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CompetitionsRpc.leaderboard>) {
    return this.competitions.leaderboard(
      caller,
      req.communityId,
      req.competitionId,
      validated(CompetitionLeaderboardQueryDto, req.query),
    );
  }

  @MessagePattern(CompetitionsRpc.gridLeaderboard.subject)
  gridLeaderboard(
    @Caller() caller: Principal,
    @Payload() req: RpcRequest<typeof CompetitionsRpc.gridLeaderboard>,
  ) {
    return this.competitions.gridLeaderboard(caller, req.communityId, req.competitionId);
  }

  @MessagePattern(CompetitionsRpc.drawBracket.subject)
  drawBracket(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CompetitionsRpc.drawBracket>) {
    return this.competitions.drawBracket(
      caller,
      req.communityId,
      req.competitionId,
      validated(DrawBracketDto, req.draw),
    );
  }

  @MessagePattern(CompetitionsRpc.getBracket.subject)
  getBracket(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CompetitionsRpc.getBracket>) {
    return this.competitions.getBracket(caller, req.communityId, req.competitionId);
  }

  @MessagePattern(CompetitionsRpc.recordMatch.subject)
  recordMatch(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof CompetitionsRpc.recordMatch>) {
    return this.competitions.recordMatch(
      caller,
      req.communityId,
      req.competitionId,
      req.matchKey,
      validated(RecordMatchResultDto, req.result),
    );
  }
}
