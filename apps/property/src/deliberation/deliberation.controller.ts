import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  DeliberationRpc,
  DeliberationSettingsDto,
  HidePostDto,
  PageQueryDto,
  PostReplyDto,
  Principal,
  RaiseTopicDto,
  RpcRequest,
  TakeUpTopicDto,
  TopicBallotDto,
  TopicListQueryDto,
  TopicResponseDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { DeliberationService } from './deliberation.service';

@Controller()
export class DeliberationController {
  constructor(private readonly deliberation: DeliberationService) {}

  @MessagePattern(DeliberationRpc.raise.subject)
  raise(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.raise>) {
    return this.deliberation.raise(caller, req.communityId, validated(RaiseTopicDto, req.topic));
  }

  @MessagePattern(DeliberationRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.list>) {
    return this.deliberation.list(caller, req.communityId, validated(TopicListQueryDto, req.query));
  }

  @MessagePattern(DeliberationRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.get>) {
    return this.deliberation.get(caller, req.communityId, req.topicId);
  }

  @MessagePattern(DeliberationRpc.support.subject)
  support(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.support>) {
    return this.deliberation.support(caller, req.communityId, req.topicId);
  }

  @MessagePattern(DeliberationRpc.hide.subject)
  hide(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.hide>) {
    return this.deliberation.hide(
      caller,
      req.communityId,
      req.topicId,
      validated(HidePostDto, req.moderation),
    );
  }

  @MessagePattern(DeliberationRpc.toBallot.subject)
  toBallot(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.toBallot>) {
    return this.deliberation.toBallot(
      caller,
      req.communityId,
      req.topicId,
      validated(TopicBallotDto, req.ballot),
    );
  }

  @MessagePattern(DeliberationRpc.reply.subject)
  reply(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.reply>) {
    return this.deliberation.reply(caller, req.communityId, req.topicId, validated(PostReplyDto, req.reply));
  }

  @MessagePattern(DeliberationRpc.replies.subject)
  replies(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.replies>) {
    return this.deliberation.replies(caller, req.communityId, req.topicId, validated(PageQueryDto, req.page));
  }

  @MessagePattern(DeliberationRpc.hideReply.subject)
  hideReply(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.hideReply>) {
    return this.deliberation.hideReply(
      caller,
      req.communityId,
      req.topicId,
      req.replyId,
      validated(HidePostDto, req.moderation),
    );
  }

  @MessagePattern(DeliberationRpc.takeUp.subject)
  takeUp(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.takeUp>) {
    return this.deliberation.takeUp(
      caller,
      req.communityId,
      req.topicId,
      validated(TakeUpTopicDto, req.takeUp),
    );
  }

  @MessagePattern(DeliberationRpc.respond.subject)
  respond(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.respond>) {
    return this.deliberation.respond(
      caller,
      req.communityId,
      req.topicId,
      validated(TopicResponseDto, req.response),
    );
  }

  @MessagePattern(DeliberationRpc.getSettings.subject)
  getSettings(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.getSettings>) {
    return this.deliberation.getSettings(caller, req.communityId);
  }

  @MessagePattern(DeliberationRpc.saveSettings.subject)
  saveSettings(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof DeliberationRpc.saveSettings>) {
    return this.deliberation.saveSettings(
      caller,
      req.communityId,
      validated(DeliberationSettingsDto, req.settings),
    );
  }
}
