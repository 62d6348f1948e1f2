import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  DeliberationRpc,
  HidePostDto,
  PageQueryDto,
  PostReplyDto,
  RaiseTopicDto,
  ReplyPage,
  ReplyView,
  Role,
  TopicBallotDto,
  TopicBallotView,
  TopicListQueryDto,
  TopicPage,
  TopicView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { IsMongoId } from 'class-validator';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';

const MODERATORS = [Role.CommunityStaff, Role.DistrictAdmin];
const BALLOT_ORGANISERS = [Role.OwnersCommitteeMember, Role.CommunityStaff, Role.DistrictAdmin];

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
@Controller('communities/:communityId/topics')
export class DeliberationController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Raise a topic for the community, or for your grid or building' })
  @ApiCreatedResponse({ type: TopicView })
  @ApiSecured(400)
  raise(@Param() path: CommunityPath, @Body() body: RaiseTopicDto): Promise<TopicView> {
    return this.rpc.send(DeliberationRpc.raise, { communityId: path.communityId, topic: body });
  }

  @Get()
  @ApiOperation({
    summary: 'The forum: topics, most supported first, then newest',
    description: 'Hidden topics are listed for moderators only.',
  })
  @ApiOkResponse({ type: TopicPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: TopicListQueryDto): Promise<TopicPage> {
    return this.rpc.send(DeliberationRpc.list, { communityId: path.communityId, query });
  }

  @Get(':topicId')
  @ApiOperation({
    summary: 'One topic with its support and reply counts',
    description: "A hidden topic's text is withheld from everyone but moderators and its author.",
  })
  @ApiOkResponse({ type: TopicView })
  @ApiSecured(400, 404)
  get(@Param() path: TopicPath): Promise<TopicView> {
    return this.rpc.send(DeliberationRpc.get, { communityId: path.communityId, topicId: path.topicId });
  }

  @Post(':topicId/supports')
  @ApiOperation({
    summary: 'Support a topic',
    description:
      'One support per person: a second is 409 DUPLICATE and is not counted. A hidden topic is 409 INVALID_TRANSITION.',
  })
  @ApiCreatedResponse({ type: TopicView })
  @ApiSecured(400, 404, 409)
  support(@Param() path: TopicPath): Promise<TopicView> {
    return this.rpc.send(DeliberationRpc.support, { communityId: path.communityId, topicId: path.topicId });
  }

  @Post(':topicId/replies')
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

  @Get(':topicId/replies')
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
  @Post(':topicId/hide')
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
  @Post(':topicId/replies/:replyId/hide')
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
  @Post(':topicId/ballot')
  @ApiOperation({
    summary: "Put the topic to the owners' assembly as a ballot",
    description:
      'The ballot is created as a draft and the topic records its id. A topic becomes a ballot once: a second request, even at the same moment, is 409 DUPLICATE.',
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
}
