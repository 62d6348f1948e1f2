import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  AppointDto,
  BodyPage,
  BodyQueryDto,
  BodyView,
  CreateBodyDto,
  EndTermDto,
  MembershipBodyRpc,
  Role,
  TermPage,
  TermQueryDto,
  TermView,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { IsMongoId } from 'class-validator';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';

const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];

export class BodyPath extends CommunityPath {
  @ApiProperty({ description: 'Body id' })
  @IsMongoId()
  bodyId: string;
}

export class TermPath extends BodyPath {
  @ApiProperty({ description: 'Term id' })
  @IsMongoId()
  termId: string;
}

@ApiTags('membership')
@Controller('communities/:communityId')
export class BodiesController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...MANAGERS)
  @Post('bodies')
  @ApiOperation({
    summary: "Create a body: residents' or owners' committee, a school's family committee, a party organisation",
  })
  @ApiCreatedResponse({ type: BodyView })
  @ApiSecured(400, 404)
  create(@Param() path: CommunityPath, @Body() body: CreateBodyDto): Promise<BodyView> {
    return this.rpc.send(MembershipBodyRpc.create, { communityId: path.communityId, body });
  }

  @Get('bodies')
  @ApiOperation({ summary: 'Bodies of the community, optionally of one kind, a page at a time' })
  @ApiOkResponse({ type: BodyPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: BodyQueryDto): Promise<BodyPage> {
    return this.rpc.send(MembershipBodyRpc.list, { communityId: path.communityId, query });
  }

  @Get('bodies/:bodyId')
  @ApiOperation({ summary: 'A body of the community' })
  @ApiOkResponse({ type: BodyView })
  @ApiSecured(400, 404)
  get(@Param() path: BodyPath): Promise<BodyView> {
    return this.rpc.send(MembershipBodyRpc.get, { communityId: path.communityId, bodyId: path.bodyId });
  }

  @Roles(...MANAGERS)
  @Post('bodies/:bodyId/terms')
  @ApiOperation({
    summary: 'Appoint a resident to a position of the body for a term (from, optionally to)',
    description:
      'Second secretaries (第二书记) and second echelon cadres (第二梯队) are positions like any other. A chair or ' +
      'secretary has one holder at a time (409 ALREADY_TAKEN on an overlapping term); one person holds a position ' +
      'once at a time (409 DUPLICATE).',
  })
  @ApiCreatedResponse({ type: TermView })
  @ApiSecured(400, 404, 409)
  appoint(@Param() path: BodyPath, @Body() body: AppointDto): Promise<TermView> {
    return this.rpc.send(MembershipBodyRpc.appoint, {
      communityId: path.communityId,
      bodyId: path.bodyId,
      appointment: body,
    });
  }

  @Roles(...MANAGERS)
  @Post('bodies/:bodyId/terms/:termId/end')
  @HttpCode(200)
  @ApiOperation({ summary: 'End a term on a day; the term stays in the history' })
  @ApiOkResponse({ type: TermView })
  @ApiSecured(400, 404, 409)
  endTerm(@Param() path: TermPath, @Body() body: EndTermDto): Promise<TermView> {
    return this.rpc.send(MembershipBodyRpc.endTerm, {
      communityId: path.communityId,
      bodyId: path.bodyId,
      termId: path.termId,
      end: body,
    });
  }

  @Get('bodies/:bodyId/terms')
  @ApiOperation({ summary: "The body's terms, past and present, or only those held on a day" })
  @ApiOkResponse({ type: TermPage })
  @ApiSecured(400, 404)
  terms(@Param() path: BodyPath, @Query() query: TermQueryDto): Promise<TermPage> {
    return this.rpc.send(MembershipBodyRpc.terms, { communityId: path.communityId, bodyId: path.bodyId, query });
  }

  @Get('positions')
  @ApiOperation({
    summary: 'Who holds which position in the bodies of the community, on a day or over time',
    description: 'Filter by position (e.g. second_secretary), person, and the day `on` (e.g. today).',
  })
  @ApiOkResponse({ type: TermPage })
  @ApiSecured(400)
  positions(@Param() path: CommunityPath, @Query() query: TermQueryDto): Promise<TermPage> {
    return this.rpc.send(MembershipBodyRpc.positions, { communityId: path.communityId, query });
  }
}
