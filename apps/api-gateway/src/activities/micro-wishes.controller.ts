import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ActivitiesRpc,
  ClaimMicroWishDto,
  ListMicroWishesQueryDto,
  MicroWishNoteDto,
  MicroWishPage,
  MicroWishView,
  PostMicroWishDto,
  ReviewMicroWishDto,
  Role,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { MicroWishPath } from './paths';

const MANAGERS = [Role.CommunityStaff, Role.DistrictAdmin];

@ApiTags('activities')
@Controller('communities/:communityId/micro-wishes')
export class MicroWishesController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @ApiOperation({ summary: 'Post a micro-wish (a resident); it waits for staff review' })
  @ApiCreatedResponse({ type: MicroWishView })
  @ApiSecured(400)
  post(@Param() path: CommunityPath, @Body() body: PostMicroWishDto): Promise<MicroWishView> {
    return this.rpc.send(ActivitiesRpc.postMicroWish, { communityId: path.communityId, wish: body });
  }

  @Get()
  @ApiOperation({ summary: 'The micro-wish board: approved wishes by grid and category (other statuses for staff)' })
  @ApiOkResponse({ type: MicroWishPage })
  @ApiSecured(400)
  list(@Param() path: CommunityPath, @Query() query: ListMicroWishesQueryDto): Promise<MicroWishPage> {
    return this.rpc.send(ActivitiesRpc.listMicroWishes, { communityId: path.communityId, query });
  }

  @Get(':wishId')
  @ApiOperation({ summary: 'One micro-wish' })
  @ApiOkResponse({ type: MicroWishView })
  @ApiSecured(400, 404)
  get(@Param() path: MicroWishPath): Promise<MicroWishView> {
    return this.rpc.send(ActivitiesRpc.getMicroWish, { communityId: path.communityId, wishId: path.wishId });
  }

  @Roles(...MANAGERS)
  @Post(':wishId/review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a wish onto the board, or reject it with a reason' })
  @ApiOkResponse({ type: MicroWishView })
  @ApiSecured(400, 404, 409)
  review(@Param() path: MicroWishPath, @Body() body: ReviewMicroWishDto): Promise<MicroWishView> {
    return this.rpc.send(ActivitiesRpc.reviewMicroWish, { communityId: path.communityId, wishId: path.wishId, review: body });
  }

  @Roles(Role.PartyMember, ...MANAGERS)
  @Post(':wishId/claim')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Claim a wish: a party member for themselves, or staff on behalf of an enterprise or public unit',
    description: 'Of two claims at once exactly one wins; the other gets 409 ALREADY_TAKEN. Past its deadline: 409 OUTSIDE_WINDOW.',
  })
  @ApiOkResponse({ type: MicroWishView })
  @ApiSecured(400, 404, 409)
  claim(@Param() path: MicroWishPath, @Body() body: ClaimMicroWishDto): Promise<MicroWishView> {
    return this.rpc.send(ActivitiesRpc.claimMicroWish, { communityId: path.communityId, wishId: path.wishId, claim: body });
  }

  @Post(':wishId/fulfil')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark a claimed wish fulfilled (the claimant)' })
  @ApiOkResponse({ type: MicroWishView })
  @ApiSecured(400, 404, 409)
  fulfil(@Param() path: MicroWishPath, @Body() body: MicroWishNoteDto): Promise<MicroWishView> {
    return this.rpc.send(ActivitiesRpc.fulfilMicroWish, { communityId: path.communityId, wishId: path.wishId, note: body });
  }

  @Post(':wishId/confirm')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the fulfilment and say thanks (the resident who posted it)' })
  @ApiOkResponse({ type: MicroWishView })
  @ApiSecured(400, 404, 409)
  confirm(@Param() path: MicroWishPath, @Body() body: MicroWishNoteDto): Promise<MicroWishView> {
    return this.rpc.send(ActivitiesRpc.confirmMicroWish, { communityId: path.communityId, wishId: path.wishId, note: body });
  }

  @Post(':wishId/dispute')
  @HttpCode(200)
  @ApiOperation({ summary: 'Dispute the fulfilment with a reason (the resident who posted it)' })
  @ApiOkResponse({ type: MicroWishView })
  @ApiSecured(400, 404, 409)
  dispute(@Param() path: MicroWishPath, @Body() body: MicroWishNoteDto): Promise<MicroWishView> {
    return this.rpc.send(ActivitiesRpc.disputeMicroWish, { communityId: path.communityId, wishId: path.wishId, note: body });
  }
}
