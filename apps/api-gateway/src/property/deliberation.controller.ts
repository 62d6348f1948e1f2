import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  DeliberationRpc,
  DeliberationSettingsDto,
  DeliberationSettingsView,
  HidePostDto,
  PageQueryDto,
  PostReplyDto,
  RaiseTopicDto,
  ReplyPage,
  ReplyView,
  Role,
  TakeUpTopicDto,
  TopicBallotDto,
  TopicBallotView,
  TopicListQueryDto,
  TopicPage,
  TopicResponseDto,
  TopicView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { IsMongoId } from 'class-validator';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';

const MODERATORS = [Role.CommunityStaff, Role.DistrictAdmin];
const BALLOT_ORGANISERS = [Role.OwnersCommitteeMember, Role.CommunityStaff, Role.DistrictAdmin];
/** The residents' committee (community staff) and the owners' committee. */
const COMMITTEES = [Role.CommunityStaff, Role.DistrictAdmin, Role.OwnersCommitteeMember];

export class TopicPath extends CommunityPath {
  @ApiProperty({ description: 'Topic id' })
  @IsMongoId()
  topicId: string;
}

export class TopicReplyPath extends TopicPath {
  @ApiProperty({ description: 'Reply id' })
  @IsMongoId()
  replyId: string;
}

/** The deliberation forum (议事平台). */
@ApiTags('property')
@Controller('communities/:communityId')
export class DeliberationController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('topics')
  @ApiOperation({
    summary: 'Raise a topic for the community, or for your grid or building',
    description: 'The topic takes supports until `expiresAt` (TOPIC_EXPIRY_DAYS after it is raised, 30 by default) unless it reaches the threshold before.',
  })
  @ApiCreatedResponse({ type: TopicView })
  @ApiSecured(400)
  raise(@Param() path: CommunityPath, @Body() body: RaiseTopicDto): Promise<TopicView> {
    return this.rpc.send(DeliberationRpc.raise, { communityId: path.communityId, topic: body });
  }

  @Get('topics')
  @ApiOperation({
    summary: 'The forum: topics, most supported first, then newest',
    description: 'Hidden topics are listed for moderators only.',
  })
  @ApiOkResponse({ type: TopicPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: TopicListQueryDto): Promise<TopicPage> {
    return this.rpc.send(DeliberationRpc.list, { communityId: path.communityId, query });
  }

  @Get('topics/:topicId')
  @ApiOperation({
    summary: 'One topic with its support and reply counts',
    description: "A hidden topic's text is withheld from everyone but moderators and its author.",
  })
  @ApiOkResponse({ type: TopicView })
  @ApiSecured(400, 404)
  get(@Param() path: TopicPath): Promise<TopicView> {
    return this.rpc.send(DeliberationRpc.get, { communityId: path.communityId, topicId: path.topicId });
  }

  @Post('topics/:topicId/supports')
  @ApiOperation({
    summary: 'Support a topic',
    description:
      "Only from residents living in the topic's scope (its building or grid; any resident of the community for a community topic), else 403 NOT_ELIGIBLE. One support per person: a second is 409 DUPLICATE and is not counted. A topic past its expiry without having reached the threshold is 409 OUTSIDE_WINDOW; a hidden topic is 409 INVALID_TRANSITION.",
  })
  @ApiCreatedResponse({ type: TopicView })
  @ApiSecured(400, 404, 409)
  support(@Param() path: TopicPath): Promise<TopicView> {
    return this.rpc.send(DeliberationRpc.support, { communityId: path.communityId, topicId: path.topicId });
  }

  @Post('topics/:topicId/replies')
  @ApiOperation({ summary: 'Reply to a topic' })
  @ApiCreatedResponse({ type: ReplyView })
  @ApiSecured(400, 404, 409)
  reply(@Param() path: TopicPath, @Body() body: PostReplyDto): Promise<ReplyView> {
    return this.rpc.send(DeliberationRpc.reply, {
      communityId: path.communityId,
      topicId: path.topicId,
      reply: body,
    });
  }

  @Get('topics/:topicId/replies')
  @ApiOperation({
    summary: 'Replies to a topic, oldest first, a page at a time',
    description: 'Hidden replies show the moderation reason instead of their text.',
  })
  @ApiOkResponse({ type: ReplyPage })
  @ApiSecured(400, 404)
  replies(@Param() path: TopicPath, @Query() page: PageQueryDto): Promise<ReplyPage> {
    return this.rpc.send(DeliberationRpc.replies, {
      communityId: path.communityId,
      topicId: path.topicId,
      page,
    });
  }

  @Roles(...MODERATORS)
  @Post('topics/:topicId/hide')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hide a topic, with the reason',
    description: 'The record stays; its text is withheld from residents. Once per topic (409 DUPLICATE).',
  })
  @ApiOkResponse({ type: TopicView })
  @ApiSecured(400, 404, 409)
  hide(@Param() path: TopicPath, @Body() body: HidePostDto): Promise<TopicView> {
    return this.rpc.send(DeliberationRpc.hide, {
      communityId: path.communityId,
      topicId: path.topicId,
      moderation: body,
    });
  }

  @Roles(...MODERATORS)
  @Post('topics/:topicId/replies/:replyId/hide')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hide a reply, with the reason', description: 'Once per reply (409 DUPLICATE).' })
  @ApiOkResponse({ type: ReplyView })
  @ApiSecured(400, 404, 409)
  hideReply(@Param() path: TopicReplyPath, @Body() body: HidePostDto): Promise<ReplyView> {
    return this.rpc.send(DeliberationRpc.hideReply, {
      communityId: path.communityId,
      topicId: path.topicId,
      replyId: path.replyId,
      moderation: body,
    });
  }

  @Roles(...BALLOT_ORGANISERS)
  @Post('topics/:topicId/ballot')
  @ApiOperation({
    summary: "Put the topic to the owners' assembly as a ballot",
    description:
      "Only a topic a committee took up (below the threshold: 409 BELOW_SUPPORT_THRESHOLD) and whose recorded response referred it to a ballot (409 COMMITTEE_RESPONSE_REQUIRED, the detail saying whether it was not taken up, has no response yet, or was not referred). The ballot is created as a draft and the topic records its id. A topic becomes a ballot once: a second request, even at the same moment, is 409 DUPLICATE.",
  })
  @ApiCreatedResponse({ type: TopicBallotView })
  @ApiSecured(400, 404, 409)
  toBallot(@Param() path: TopicPath, @Body() body: TopicBallotDto): Promise<TopicBallotView> {
    return this.rpc.send(DeliberationRpc.toBallot, {
      communityId: path.communityId,
      topicId: path.topicId,
      ballot: body,
    });
  }

  @Roles(...COMMITTEES)
  @Post('topics/:topicId/take-up')
  @ApiOperation({
    summary: "Take a well-supported topic up, for the residents' committee or the owners' committee",
    description:
      "Community staff act for the residents' committee, owners' committee members for the owners' committee (`body` needed only for someone on both). Below the community's support threshold: 409 BELOW_SUPPORT_THRESHOLD, the detail naming the supports and the threshold; an expired topic: 409 OUTSIDE_WINDOW. A topic is taken up once: a second request, even at the same moment, is 409 DUPLICATE. A hidden topic is 409 INVALID_TRANSITION.",
  })
  @ApiCreatedResponse({ type: TopicView })
  @ApiSecured(400, 404, 409)
  takeUp(@Param() path: TopicPath, @Body() body: TakeUpTopicDto): Promise<TopicView> {
    return this.rpc.send(DeliberationRpc.takeUp, {
      communityId: path.communityId,
      topicId: path.topicId,
      takeUp: body,
    });
  }

  @Roles(...COMMITTEES)
  @Post('topics/:topicId/response')
  @ApiOperation({
    summary: 'Record the committee’s response to a topic it took up',
    description:
      'Only the body that took the topic up responds (403 otherwise). Before a take-up: 409 INVALID_TRANSITION. Recorded once: a second response is 409 DUPLICATE. A topic referred to a ballot is put to the assembly through POST …/ballot.',
  })
  @ApiCreatedResponse({ type: TopicView })
  @ApiSecured(400, 404, 409)
  respond(@Param() path: TopicPath, @Body() body: TopicResponseDto): Promise<TopicView> {
    return this.rpc.send(DeliberationRpc.respond, {
      communityId: path.communityId,
      topicId: path.topicId,
      response: body,
    });
  }

  @Get('deliberation-settings')
  @ApiOperation({ summary: 'The supports a topic needs before a committee takes it up' })
  @ApiOkResponse({ type: DeliberationSettingsView })
  @ApiSecured(400)
  settings(@Param() path: CommunityPath): Promise<DeliberationSettingsView> {
    return this.rpc.send(DeliberationRpc.getSettings, { communityId: path.communityId });
  }

  @Roles(...MODERATORS)
  @Put('deliberation-settings')
  @ApiOperation({
    summary: 'Set the support threshold for taking topics up',
    description: 'Applies to topics not yet taken up; the last change wins.',
  })
  @ApiOkResponse({ type: DeliberationSettingsView })
  @ApiSecured(400)
  saveSettings(
    @Param() path: CommunityPath,
    @Body() body: DeliberationSettingsDto,
  ): Promise<DeliberationSettingsView> {
    return this.rpc.send(DeliberationRpc.saveSettings, { communityId: path.communityId, settings: body });
  }
}
