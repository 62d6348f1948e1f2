import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import {
  ActionItemView,
  CloseMeetingDto,
  GridMeetingRpc,
  HoldMeetingDto,
  LastActionItemsQueryDto,
  LastActionItemsView,
  MeetingListQueryDto,
  MeetingPage,
  MeetingView,
  RescheduleMeetingDto,
  Role,
  ScheduleGridMeetingDto,
  ScheduleJointMeetingDto,
  SettingsLanguage,
  SubmitAgendaItemDto,
  UpdateActionItemDto,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { IsMongoId } from 'class-validator';
import { headerLanguage } from '../exports/export-language';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';

export class MeetingPath extends CommunityPath {
  @ApiProperty({ description: 'Meeting id' })
  @IsMongoId()
  meetingId: string;
}

export class ActionItemPath extends MeetingPath {
  @ApiProperty({ description: 'Action item id' })
  @IsMongoId()
  itemId: string;
}

const ORGANISERS = [Role.GridWorker, Role.CommunityStaff, Role.DistrictAdmin];
const SUBMITTERS = [...ORGANISERS, Role.OwnersCommitteeMember, Role.PropertyManager];

@ApiTags('grid')
@Controller('communities/:communityId/meetings')
export class MeetingsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...ORGANISERS)
  @Post('grid')
  @ApiOperation({
    summary: "Schedule a grid's monthly meeting (片区网格月度例会) for a month",
    description:
      "One per grid per month. Its agenda is built from the month's top complaint categories and hotspot buildings of the grid, then the departments' items.",
  })
  @ApiCreatedResponse({ type: MeetingView })
  @ApiSecured(400, 404, 409)
  scheduleGrid(@Param() path: CommunityPath, @Body() body: ScheduleGridMeetingDto): Promise<MeetingView> {
    return this.rpc.send(GridMeetingRpc.scheduleGrid, { communityId: path.communityId, meeting: body });
  }

  @Roles(...ORGANISERS)
  @Post('joint')
  @ApiOperation({
    summary: 'Schedule a joint meeting of the residents committee, owners committee and property company',
  })
  @ApiCreatedResponse({ type: MeetingView })
  @ApiSecured(400, 404)
  scheduleJoint(@Param() path: CommunityPath, @Body() body: ScheduleJointMeetingDto): Promise<MeetingView> {
    return this.rpc.send(GridMeetingRpc.scheduleJoint, { communityId: path.communityId, meeting: body });
  }

  @Get()
  @ApiOperation({ summary: 'Meetings of the community, filtered by kind, grid and status, a page at a time' })
  @ApiOkResponse({ type: MeetingPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: MeetingListQueryDto): Promise<MeetingPage> {
    return this.rpc.send(GridMeetingRpc.list, { communityId: path.communityId, query });
  }

  @Get('last-action-items')
  @ApiOperation({
    summary: "Action items of the last meeting held in a grid (or of the community's last joint meeting)",
    description: 'Empty, without a meeting, when none has been held yet.',
  })
  @ApiOkResponse({ type: LastActionItemsView })
  @ApiSecured(400)
  lastActionItems(
    @Param() path: CommunityPath,
    @Query() query: LastActionItemsQueryDto,
  ): Promise<LastActionItemsView> {
    return this.rpc.send(GridMeetingRpc.lastActionItems, { communityId: path.communityId, query });
  }

  @Get(':meetingId')
  @ApiOperation({
    summary: 'One meeting with its agenda, attendance, minutes, decisions and action items',
    description:
      'The agenda is computed from current cases while the meeting is scheduled and frozen when it is held.',
  })
  @ApiHeader({
    name: 'Accept-Language',
    required: false,
    description: 'Agenda titles in Chinese when the client prefers it (`zh`), else English',
  })
  @ApiOkResponse({ type: MeetingView })
  @ApiSecured(400, 404)
  get(@Param() path: MeetingPath, @Headers('accept-language') acceptLanguage?: string): Promise<MeetingView> {
    const language =
      headerLanguage(acceptLanguage) === 'zh' ? SettingsLanguage.Chinese : SettingsLanguage.English;
    return this.rpc.send(GridMeetingRpc.get, { ...this.on(path), language });
  }

  @Roles(...ORGANISERS)
  @Patch(':meetingId')
  @ApiOperation({ summary: 'Move a scheduled meeting to another time or place' })
  @ApiOkResponse({ type: MeetingView })
  @ApiSecured(400, 404, 409)
  reschedule(@Param() path: MeetingPath, @Body() body: RescheduleMeetingDto): Promise<MeetingView> {
    return this.rpc.send(GridMeetingRpc.reschedule, { ...this.on(path), change: body });
  }

  @Roles(...SUBMITTERS)
  @Post(':meetingId/agenda-items')
  @ApiOperation({
    summary:
      'Submit an agenda item before the meeting: a department for a grid meeting, a body for a joint meeting',
  })
  @ApiCreatedResponse({ type: MeetingView })
  @ApiSecured(400, 404, 409)
  submitItem(@Param() path: MeetingPath, @Body() body: SubmitAgendaItemDto): Promise<MeetingView> {
    return this.rpc.send(GridMeetingRpc.submitItem, { ...this.on(path), item: body });
  }

  @Roles(...ORGANISERS)
  @Post(':meetingId/hold')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record the meeting as held: attendance, minutes, and decisions with their action items',
    description: 'Freezes the agenda. Only a scheduled meeting can be held (INVALID_TRANSITION otherwise).',
  })
  @ApiOkResponse({ type: MeetingView })
  @ApiSecured(400, 404, 409)
  hold(@Param() path: MeetingPath, @Body() body: HoldMeetingDto): Promise<MeetingView> {
    return this.rpc.send(GridMeetingRpc.hold, { ...this.on(path), record: body });
  }

  @Roles(...ORGANISERS)
  @Post(':meetingId/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close a held meeting; its action items stay tracked' })
  @ApiOkResponse({ type: MeetingView })
  @ApiSecured(400, 404, 409)
  close(@Param() path: MeetingPath, @Body() body: CloseMeetingDto): Promise<MeetingView> {
    return this.rpc.send(GridMeetingRpc.close, { ...this.on(path), step: body });
  }

  @Patch(':meetingId/action-items/:itemId')
  @ApiOperation({
    summary:
      'Update an action item: its owner or an organiser marks progress or done; organisers move the due date',
  })
  @ApiOkResponse({ type: ActionItemView })
  @ApiSecured(400, 404, 409)
  updateActionItem(
    @Param() path: ActionItemPath,
    @Body() body: UpdateActionItemDto,
  ): Promise<ActionItemView> {
    return this.rpc.send(GridMeetingRpc.updateActionItem, {
      ...this.on(path),
      itemId: path.itemId,
      change: body,
    });
  }

  private on(path: MeetingPath) {
    return { communityId: path.communityId, meetingId: path.meetingId };
  }
}
