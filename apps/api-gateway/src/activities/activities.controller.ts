import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ActivitiesRpc,
  ActivityPage,
  ActivityView,
  AttendanceView,
  CheckInDto,
  CreateActivityDto,
  ListActivitiesQueryDto,
  ListRegistrationsQueryDto,
  RegisterForActivityDto,
  RegistrationPage,
  RegistrationView,
  Role,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { ActivityPath, RegistrationPath } from './paths';

const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];
const DOOR_STAFF = [...MANAGERS, Role.GridWorker];

@ApiTags('activities')
@Controller('communities/:communityId/activities')
export class ActivitiesController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...MANAGERS)
  @Post()
  @ApiOperation({
    summary: 'Create an activity as a draft',
    description: 'Capacity counts people. Registration must close after it opens and before the activity ends.',
  })
  @ApiCreatedResponse({ type: ActivityView })
  @ApiSecured(400)
  create(@Param() path: CommunityPath, @Body() body: CreateActivityDto): Promise<ActivityView> {
    return this.rpc.send(ActivitiesRpc.createActivity, { communityId: path.communityId, activity: body });
  }

  @Get()
  @ApiOperation({ summary: 'Activities of the community, a page at a time (drafts for staff only)' })
  @ApiOkResponse({ type: ActivityPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: ListActivitiesQueryDto): Promise<ActivityPage> {
    return this.rpc.send(ActivitiesRpc.listActivities, { communityId: path.communityId, query });
  }

  @Get(':activityId')
  @ApiOperation({ summary: 'One activity with the places left' })
  @ApiOkResponse({ type: ActivityView })
  @ApiSecured(400, 404)
  get(@Param() path: ActivityPath): Promise<ActivityView> {
    return this.rpc.send(ActivitiesRpc.getActivity, { communityId: path.communityId, activityId: path.activityId });
  }

  @Roles(...MANAGERS)
  @Post(':activityId/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish a draft: it becomes visible and takes registrations within its window' })
  @ApiOkResponse({ type: ActivityView })
  @ApiSecured(400, 404, 409)
  publish(@Param() path: ActivityPath): Promise<ActivityView> {
    return this.rpc.send(ActivitiesRpc.publishActivity, { communityId: path.communityId, activityId: path.activityId });
  }

  @Roles(...MANAGERS)
  @Post(':activityId/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a draft or published activity' })
  @ApiOkResponse({ type: ActivityView })
  @ApiSecured(400, 404, 409)
  cancel(@Param() path: ActivityPath): Promise<ActivityView> {
    return this.rpc.send(ActivitiesRpc.cancelActivity, { communityId: path.communityId, activityId: path.activityId });
  }

  @Roles(...MANAGERS)
  @Post(':activityId/finish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a published activity as finished' })
  @ApiOkResponse({ type: ActivityView })
  @ApiSecured(400, 404, 409)
  finish(@Param() path: ActivityPath): Promise<ActivityView> {
    return this.rpc.send(ActivitiesRpc.finishActivity, { communityId: path.communityId, activityId: path.activityId });
  }

  @Post(':activityId/registrations')
  @ApiOperation({
    summary: 'Register yourself and listed household members',
    description:
      'Places count people. When not enough are left the registration joins the waiting list (status `waitlisted`) ' +
      'in order. The reply carries the check-in code for the QR code. 409 OUTSIDE_WINDOW outside the registration ' +
      'window, 409 DUPLICATE for a second registration, 403 NOT_ELIGIBLE outside the audience.',
  })
  @ApiCreatedResponse({ type: RegistrationView })
  @ApiSecured(400, 404, 409)
  register(@Param() path: ActivityPath, @Body() body: RegisterForActivityDto): Promise<RegistrationView> {
    return this.rpc.send(ActivitiesRpc.register, { communityId: path.communityId, activityId: path.activityId, registration: body });
  }

  @Get(':activityId/registrations/mine')
  @ApiOperation({ summary: "The caller's live registration, with its check-in code" })
  @ApiOkResponse({ type: RegistrationView })
  @ApiSecured(400, 404)
  mine(@Param() path: ActivityPath): Promise<RegistrationView> {
    return this.rpc.send(ActivitiesRpc.myRegistration, { communityId: path.communityId, activityId: path.activityId });
  }

  @Roles(...DOOR_STAFF)
  @Get(':activityId/registrations')
  @ApiOperation({ summary: 'Registrations of an activity by status or name (staff search), a page at a time' })
  @ApiOkResponse({ type: RegistrationPage })
  @ApiSecured(400, 404)
  registrations(@Param() path: ActivityPath, @Query() query: ListRegistrationsQueryDto): Promise<RegistrationPage> {
    return this.rpc.send(ActivitiesRpc.listRegistrations, { communityId: path.communityId, activityId: path.activityId, query });
  }

  @Post(':activityId/registrations/:registrationId/cancel')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel a registration (the registrant or staff)',
    description: 'Freed places go to the first waiting registrations that fit, in order.',
  })
  @ApiOkResponse({ type: RegistrationView })
  @ApiSecured(400, 404, 409)
  cancelRegistration(@Param() path: RegistrationPath): Promise<RegistrationView> {
    return this.rpc.send(ActivitiesRpc.cancelRegistration, {
      communityId: path.communityId,
      activityId: path.activityId,
      registrationId: path.registrationId,
    });
  }

  @Roles(...DOOR_STAFF)
  @Post(':activityId/check-ins')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a registration in by its scanned code or by id (staff search)',
    description:
      'A code of another activity is 404; a second check-in is 409 DUPLICATE; a waiting registration is 403 NOT_ELIGIBLE; ' +
      'before the window (30 minutes before the start by default) or after the end it is 409 OUTSIDE_WINDOW.',
  })
  @ApiOkResponse({ type: RegistrationView })
  @ApiSecured(400, 404, 409)
  checkIn(@Param() path: ActivityPath, @Body() body: CheckInDto): Promise<RegistrationView> {
    return this.rpc.send(ActivitiesRpc.checkIn, { communityId: path.communityId, activityId: path.activityId, checkIn: body });
  }

  @Roles(...DOOR_STAFF)
  @Get(':activityId/attendance')
  @ApiOperation({ summary: 'Confirmed and checked-in people and the no-show rate' })
  @ApiOkResponse({ type: AttendanceView })
  @ApiSecured(400, 404)
  attendance(@Param() path: ActivityPath): Promise<AttendanceView> {
    return this.rpc.send(ActivitiesRpc.attendance, { communityId: path.communityId, activityId: path.activityId });
  }
}
