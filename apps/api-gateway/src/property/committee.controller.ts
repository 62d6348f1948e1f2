import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  CommitteeHistoryView,
  CommitteeRpc,
  CommitteeTermView,
  CommitteeTodayView,
  EndCommitteeTermDto,
  Role,
  SeatCommitteeDto,
  SeatElectedCommitteeDto,
  VoidCommitteeTermDto,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { IsMongoId } from 'class-validator';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';

const REGISTRARS = [Role.CommunityStaff, Role.DistrictAdmin];

export class CommitteeTermPath extends CommunityPath {
  @ApiProperty({ description: 'Committee term id' })
  @IsMongoId()
  termId: string;
}

@ApiTags('property')
@Controller('communities/:communityId/committee')
export class CommitteeController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: "The owners' committee sitting today: its term, chair, vice-chairs and members" })
  @ApiOkResponse({ type: CommitteeTodayView })
  @ApiSecured(400)
  today(@Param() path: CommunityPath): Promise<CommitteeTodayView> {
    return this.rpc.send(CommitteeRpc.today, { communityId: path.communityId });
  }

  @Get('terms')
  @ApiOperation({ summary: "Every term of the owners' committee, newest first, with how each ended" })
  @ApiOkResponse({ type: CommitteeHistoryView })
  @ApiSecured(400)
  history(@Param() path: CommunityPath): Promise<CommitteeHistoryView> {
    return this.rpc.send(CommitteeRpc.history, { communityId: path.communityId });
  }

  @Roles(...REGISTRARS)
  @Post('terms')
  @ApiOperation({
    summary: "Record a committee term seated outside the system's ballots, with its members and their roles",
    description:
      '3-15 members, exactly one chair. A new term starts after the latest one started and closes it the day before. 409 CONFLICT when another term is seated at the same moment.',
  })
  @ApiCreatedResponse({ type: CommitteeTermView })
  @ApiSecured(400, 409)
  seat(@Param() path: CommunityPath, @Body() body: SeatCommitteeDto): Promise<CommitteeTermView> {
    return this.rpc.send(CommitteeRpc.seat, { communityId: path.communityId, term: body });
  }

  @Roles(...REGISTRARS)
  @Post('terms/from-election')
  @ApiOperation({
    summary: 'Seat the members a closed election ballot elected, with the chair and vice-chairs they chose',
    description:
      'Seats the candidates the sealed count elected (quorum, then more than half of participating area and owners, seats in order of ' +
      "owners' votes); seats nobody won stay empty (seatsEmpty). 409 INVALID_TRANSITION before the ballot is closed, without quorum, or when " +
      'its outcome is not carried (nobody elected); 409 DUPLICATE when the election already seated a term that stands. Emits evt.property.term.seated.',
  })
  @ApiCreatedResponse({ type: CommitteeTermView })
  @ApiSecured(400, 404, 409)
  seatElected(
    @Param() path: CommunityPath,
    @Body() body: SeatElectedCommitteeDto,
  ): Promise<CommitteeTermView> {
    return this.rpc.send(CommitteeRpc.seatElected, { communityId: path.communityId, term: body });
  }

  @Roles(...REGISTRARS)
  @Post('terms/:termId/end')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Record that a term ended before its planned last day, with the reason',
    description: 'Once per term (409 DUPLICATE).',
  })
  @ApiOkResponse({ type: CommitteeTermView })
  @ApiSecured(400, 404, 409)
  endTerm(@Param() path: CommitteeTermPath, @Body() body: EndCommitteeTermDto): Promise<CommitteeTermView> {
    return this.rpc.send(CommitteeRpc.endTerm, {
      communityId: path.communityId,
      termId: path.termId,
      end: body,
    });
  }

  @Roles(...REGISTRARS)
  @Post('terms/:termId/void')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Void a wrongly seated term, with the reason',
    description: 'A voided term never counts as the committee; once per term (409 DUPLICATE). Emits evt.property.term.voided.',
  })
  @ApiOkResponse({ type: CommitteeTermView })
  @ApiSecured(400, 404, 409)
  voidTerm(@Param() path: CommitteeTermPath, @Body() body: VoidCommitteeTermDto): Promise<CommitteeTermView> {
    return this.rpc.send(CommitteeRpc.voidTerm, { communityId: path.communityId, termId: path.termId, voiding: body });
  }
}
