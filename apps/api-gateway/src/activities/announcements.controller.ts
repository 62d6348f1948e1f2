import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  AnnouncementPage,
  AnnouncementView,
  AnnouncementsRpc,
  ListAnnouncementsQueryDto,
  PageQueryDto,
  PinAnnouncementDto,
  PostAnnouncementDto,
  ReadReceiptView,
  Role,
  UnreadPage,
  UnreadQueryDto,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { IsMongoId } from 'class-validator';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';

const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];

export class AnnouncementPath extends CommunityPath {
  @ApiProperty({ description: 'Announcement id' })
  @IsMongoId()
  announcementId: string;
}

@ApiTags('activities')
@Controller('communities/:communityId/announcements')
export class AnnouncementsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...MANAGERS)
  @Post()
  @ApiOperation({
    summary: 'Post a notice to the community, some residential areas, grids or buildings',
    description:
      'With a later publishAt it stays hidden until then; with expiresAt it leaves feeds then. Publishes announcement published when it goes live.',
  })
  @ApiCreatedResponse({ type: AnnouncementView })
  @ApiSecured(400)
  post(@Param() path: CommunityPath, @Body() body: PostAnnouncementDto): Promise<AnnouncementView> {
    return this.rpc.send(AnnouncementsRpc.post, { communityId: path.communityId, announcement: body });
  }

  @Roles(...MANAGERS)
  @Get()
  @ApiOperation({
    summary: 'Every notice (scheduled, live, expired) for staff, pinned first then newest, with read counts',
  })
  @ApiOkResponse({ type: AnnouncementPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: ListAnnouncementsQueryDto): Promise<AnnouncementPage> {
    return this.rpc.send(AnnouncementsRpc.list, { communityId: path.communityId, query });
  }

  @Get('feed')
  @ApiOperation({
    summary:
      "The caller's feed: live notices that reach their building, pinned first then newest, with what they have read",
  })
  @ApiOkResponse({ type: AnnouncementPage })
  @ApiSecured(400)
  feed(@Param() path: CommunityPath, @Query() page: PageQueryDto): Promise<AnnouncementPage> {
    return this.rpc.send(AnnouncementsRpc.feed, { communityId: path.communityId, page });
  }

  @Get(':announcementId')
  @ApiOperation({
    summary:
      'One notice: residents see it only while it is live and reaches them; staff also see its read count',
  })
  @ApiOkResponse({ type: AnnouncementView })
  @ApiSecured(400, 404)
  get(@Param() path: AnnouncementPath): Promise<AnnouncementView> {
    return this.rpc.send(AnnouncementsRpc.get, {
      communityId: path.communityId,
      announcementId: path.announcementId,
    });
  }

  @Roles(...MANAGERS)
  @Post(':announcementId/pin')
  @HttpCode(200)
  @ApiOperation({ summary: 'Pin a notice to the top of feeds, or unpin it' })
  @ApiOkResponse({ type: AnnouncementView })
  @ApiSecured(400, 404)
  pin(@Param() path: AnnouncementPath, @Body() body: PinAnnouncementDto): Promise<AnnouncementView> {
    return this.rpc.send(AnnouncementsRpc.pin, {
      communityId: path.communityId,
      announcementId: path.announcementId,
      pin: body,
    });
  }

  @Post(':announcementId/read')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Mark a notice read (a resident it reaches); one receipt per person, a second read counts nothing',
  })
  @ApiOkResponse({ type: ReadReceiptView })
  @ApiSecured(400, 404)
  read(@Param() path: AnnouncementPath): Promise<ReadReceiptView> {
    return this.rpc.send(AnnouncementsRpc.markRead, {
      communityId: path.communityId,
      announcementId: path.announcementId,
    });
  }

  @Roles(...MANAGERS, Role.GridWorker, Role.BuildingLeader)
  @Get(':announcementId/unread')
  @ApiOperation({
    summary: 'Who of the audience has not read a notice yet, a page at a time, optionally in one building',
    description:
      'Residents living in the audience today without a read receipt, each with their unit (household) and building. ' +
      'Staff see the whole audience; a building leader only the building they lead, named in buildingId (403 otherwise).',
  })
  @ApiOkResponse({ type: UnreadPage })
  @ApiSecured(400, 404)
  unread(@Param() path: AnnouncementPath, @Query() query: UnreadQueryDto): Promise<UnreadPage> {
    return this.rpc.send(AnnouncementsRpc.unread, {
      communityId: path.communityId,
      announcementId: path.announcementId,
      query,
    });
  }
}
