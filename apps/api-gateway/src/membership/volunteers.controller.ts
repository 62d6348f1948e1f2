import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CorrectHoursDto,
  HoursEntryView,
  LeaderboardQueryDto,
  LeaderboardView,
  MembershipVolunteerRpc,
  PageQueryDto,
  RecordHoursDto,
  Role,
  VolunteerHoursView,
  VolunteerPage,
  VolunteerProfileDto,
  VolunteerProfileView,
  VolunteerQueryDto,
  VolunteerSettingsDto,
  VolunteerSettingsView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { HoursEntryPath, PersonPath } from './paths';

const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];
const LEDGER_KEEPERS = [...MANAGERS, Role.GridWorker];

@ApiTags('membership')
@Controller('communities/:communityId')
export class VolunteersController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...LEDGER_KEEPERS)
  @Get('volunteers')
  @ApiOperation({ summary: 'Volunteer profiles, optionally only those with a skill, a page at a time' })
  @ApiOkResponse({ type: VolunteerPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: VolunteerQueryDto): Promise<VolunteerPage> {
    return this.rpc.send(MembershipVolunteerRpc.listProfiles, { communityId: path.communityId, query });
  }

  @Get('volunteers/leaderboard')
  @ApiOperation({
    summary: 'Volunteers ranked by hours, with service points, for a building, a grid or the community',
    description: "Building and grid are those of the volunteer's residence. Equal hours share a rank.",
  })
  @ApiOkResponse({ type: LeaderboardView })
  @ApiSecured(400)
  leaderboard(@Param() path: CommunityPath, @Query() query: LeaderboardQueryDto): Promise<LeaderboardView> {
    return this.rpc.send(MembershipVolunteerRpc.leaderboard, { communityId: path.communityId, query });
  }

  @Get('volunteer-settings')
  @ApiOperation({ summary: 'Service points per hour and hours credited per handled case' })
  @ApiOkResponse({ type: VolunteerSettingsView })
  @ApiSecured()
  settings(@Param() path: CommunityPath): Promise<VolunteerSettingsView> {
    return this.rpc.send(MembershipVolunteerRpc.getSettings, { communityId: path.communityId });
  }

  @Roles(...MANAGERS)
  @Put('volunteer-settings')
  @ApiOperation({ summary: 'Set the points rate and hours per case; applies to all hours, past and future' })
  @ApiOkResponse({ type: VolunteerSettingsView })
  @ApiSecured(400)
  saveSettings(
    @Param() path: CommunityPath,
    @Body() body: VolunteerSettingsDto,
  ): Promise<VolunteerSettingsView> {
    return this.rpc.send(MembershipVolunteerRpc.saveSettings, {
      communityId: path.communityId,
      settings: body,
    });
  }

  @Put('volunteers/:personId')
  @ApiOperation({ summary: 'Create or replace a volunteer profile (the resident themselves, or staff)' })
  @ApiOkResponse({ type: VolunteerProfileView })
  @ApiSecured(400, 404)
  saveProfile(@Param() path: PersonPath, @Body() body: VolunteerProfileDto): Promise<VolunteerProfileView> {
    return this.rpc.send(MembershipVolunteerRpc.saveProfile, {
      communityId: path.communityId,
      personId: path.personId,
      profile: body,
    });
  }

  @Get('volunteers/:personId')
  @ApiOperation({ summary: 'One volunteer profile' })
  @ApiOkResponse({ type: VolunteerProfileView })
  @ApiSecured(400, 404)
  getProfile(@Param() path: PersonPath): Promise<VolunteerProfileView> {
    return this.rpc.send(MembershipVolunteerRpc.getProfile, {
      communityId: path.communityId,
      personId: path.personId,
    });
  }

  @Get('volunteers/:personId/hours')
  @ApiOperation({
    summary: "A volunteer's ledger entries with total hours and service points (the volunteer, or staff)",
  })
  @ApiOkResponse({ type: VolunteerHoursView })
  @ApiSecured(400)
  hours(@Param() path: PersonPath, @Query() page: PageQueryDto): Promise<VolunteerHoursView> {
    return this.rpc.send(MembershipVolunteerRpc.hoursOf, {
      communityId: path.communityId,
      personId: path.personId,
      page,
    });
  }

  @Roles(...LEDGER_KEEPERS)
  @Post('volunteer-hours')
  @ApiOperation({ summary: 'Record hours by hand (service not reported by another service)' })
  @ApiCreatedResponse({ type: HoursEntryView })
  @ApiSecured(400, 404)
  record(@Param() path: CommunityPath, @Body() body: RecordHoursDto): Promise<HoursEntryView> {
    return this.rpc.send(MembershipVolunteerRpc.recordHours, { communityId: path.communityId, entry: body });
  }

  @Roles(...LEDGER_KEEPERS)
  @Post('volunteer-hours/:entryId/corrections')
  @ApiOperation({
    summary: 'Correct an entry with a new signed entry; entries are never edited',
    description: 'An entry with its corrections cannot go below zero hours (400).',
  })
  @ApiCreatedResponse({ type: HoursEntryView })
  @ApiSecured(400, 404, 409)
  correct(@Param() path: HoursEntryPath, @Body() body: CorrectHoursDto): Promise<HoursEntryView> {
    return this.rpc.send(MembershipVolunteerRpc.correctHours, {
      communityId: path.communityId,
      entryId: path.entryId,
      correction: body,
    });
  }
}
