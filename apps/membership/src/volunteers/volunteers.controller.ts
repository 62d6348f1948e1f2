import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CorrectHoursDto,
  LeaderboardQueryDto,
  MembershipVolunteerRpc,
  PageQueryDto,
  Principal,
  RecordHoursDto,
  RpcRequest,
  VolunteerProfileDto,
  VolunteerQueryDto,
  VolunteerSettingsDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { VolunteersService } from './volunteers.service';

type Req<K extends keyof typeof MembershipVolunteerRpc> = RpcRequest<(typeof MembershipVolunteerRpc)[K]>;

@Controller()
export class VolunteersController {
  constructor(private readonly volunteers: VolunteersService) {}

  @MessagePattern(MembershipVolunteerRpc.saveProfile.subject)
  saveProfile(@Caller() caller: Principal, @Payload() req: Req<'saveProfile'>) {
    return this.volunteers.saveProfile(
      caller,
      req.communityId,
      req.personId,
      validated(VolunteerProfileDto, req.profile),
    );
  }

  @MessagePattern(MembershipVolunteerRpc.getProfile.subject)
  getProfile(@Caller() caller: Principal, @Payload() req: Req<'getProfile'>) {
    return this.volunteers.getProfile(caller, req.communityId, req.personId);
  }

  @MessagePattern(MembershipVolunteerRpc.listProfiles.subject)
  listProfiles(@Caller() caller: Principal, @Payload() req: Req<'listProfiles'>) {
    return this.volunteers.listProfiles(caller, req.communityId, validated(VolunteerQueryDto, req.query));
  }

  @MessagePattern(MembershipVolunteerRpc.recordHours.subject)
  recordHours(@Caller() caller: Principal, @Payload() req: Req<'recordHours'>) {
    return this.volunteers.recordHours(caller, req.communityId, validated(RecordHoursDto, req.entry));
  }

  @MessagePattern(MembershipVolunteerRpc.correctHours.subject)
  correctHours(@Caller() caller: Principal, @Payload() req: Req<'correctHours'>) {
    return this.volunteers.correctHours(
      caller,
      req.communityId,
      req.entryId,
      validated(CorrectHoursDto, req.correction),
    );
  }

  @MessagePattern(MembershipVolunteerRpc.hoursOf.subject)
  hoursOf(@Caller() caller: Principal, @Payload() req: Req<'hoursOf'>) {
    return this.volunteers.hoursOf(caller, req.communityId, req.personId, validated(PageQueryDto, req.page));
  }

  @MessagePattern(MembershipVolunteerRpc.leaderboard.subject)
  leaderboard(@Caller() caller: Principal, @Payload() req: Req<'leaderboard'>) {
    return this.volunteers.leaderboard(caller, req.communityId, validated(LeaderboardQueryDto, req.query));
  }

  @MessagePattern(MembershipVolunteerRpc.getSettings.subject)
  getSettings(@Caller() caller: Principal, @Payload() req: Req<'getSettings'>) {
    return this.volunteers.getSettings(caller, req.communityId);
  }

  @MessagePattern(MembershipVolunteerRpc.saveSettings.subject)
  saveSettings(@Caller() caller: Principal, @Payload() req: Req<'saveSettings'>) {
    return this.volunteers.saveSettings(
      caller,
      req.communityId,
      validated(VolunteerSettingsDto, req.settings),
    );
  }
}
