import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ActivitiesRpc,
  CompleteShiftDto,
  CreateShiftDto,
  ListShiftsQueryDto,
  PageQueryDto,
  Role,
  ShiftPage,
  ShiftView,
  SignUpPage,
  SignUpView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { ShiftPath, SignUpPath } from './paths';

const ORGANISERS = [Role.CommunityStaff, Role.DistrictAdmin, Role.GridWorker];

@ApiTags('activities')
@Controller('communities/:communityId/volunteer-shifts')
export class VolunteerShiftsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...ORGANISERS)
  @Post()
  @ApiOperation({ summary: 'Open a shift of a volunteer role for an activity, grid task or school project, with a head-count' })
  @ApiCreatedResponse({ type: ShiftView })
  @ApiSecured(400)
  create(@Param() path: CommunityPath, @Body() body: CreateShiftDto): Promise<ShiftView> {
    return this.rpc.send(ActivitiesRpc.createShift, { communityId: path.communityId, shift: body });
  }

  @Get()
  @ApiOperation({ summary: 'Shifts with the slots left, optionally of one activity, task or project' })
  @ApiOkResponse({ type: ShiftPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: ListShiftsQueryDto): Promise<ShiftPage> {
    return this.rpc.send(ActivitiesRpc.listShifts, { communityId: path.communityId, query });
  }

  @Post(':shiftId/sign-ups')
  @ApiOperation({ summary: 'Sign up for a shift (a resident); 409 ALREADY_TAKEN when it is full, DUPLICATE when signed up' })
  @ApiCreatedResponse({ type: SignUpView })
  @ApiSecured(400, 404, 409)
  signUp(@Param() path: ShiftPath): Promise<SignUpView> {
    return this.rpc.send(ActivitiesRpc.signUp, { communityId: path.communityId, shiftId: path.shiftId });
  }

  @Roles(...ORGANISERS)
  @Get(':shiftId/sign-ups')
  @ApiOperation({ summary: 'Sign-ups of a shift, a page at a time' })
  @ApiOkResponse({ type: SignUpPage })
  @ApiSecured(400, 404)
  signUps(@Param() path: ShiftPath, @Query() page: PageQueryDto): Promise<SignUpPage> {
    return this.rpc.send(ActivitiesRpc.listSignUps, { communityId: path.communityId, shiftId: path.shiftId, page });
  }

  @Roles(...ORGANISERS)
  @Post(':shiftId/sign-ups/:signUpId/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a volunteer for the shift' })
  @ApiOkResponse({ type: SignUpView })
  @ApiSecured(400, 404, 409)
  confirm(@Param() path: SignUpPath): Promise<SignUpView> {
    return this.rpc.send(ActivitiesRpc.confirmSignUp, { communityId: path.communityId, shiftId: path.shiftId, signUpId: path.signUpId });
  }

  @Roles(...ORGANISERS)
  @Post(':shiftId/sign-ups/:signUpId/complete')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record a confirmed volunteer as having served; publishes shift completed with the hours',
    description:
      'Once only: a second completion is 409 INVALID_TRANSITION; before the shift starts it is 409 OUTSIDE_WINDOW. ' +
      'Membership credits the hours.',
  })
  @ApiOkResponse({ type: SignUpView })
  @ApiSecured(400, 404, 409)
  complete(@Param() path: SignUpPath, @Body() body: CompleteShiftDto): Promise<SignUpView> {
    return this.rpc.send(ActivitiesRpc.completeSignUp, {
      communityId: path.communityId,
      shiftId: path.shiftId,
      signUpId: path.signUpId,
      completion: body,
    });
  }
}
