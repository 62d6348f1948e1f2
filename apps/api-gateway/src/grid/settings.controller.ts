import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CommunitySettingsDto,
  CommunitySettingsView,
  GridSettingsRpc,
  Role,
  SettingsHistoryPage,
  SettingsHistoryQueryDto,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';

const READERS = [Role.CommunityStaff, Role.GridWorker, Role.DistrictAdmin];
const EDITORS = [Role.CommunityStaff, Role.DistrictAdmin];

@ApiTags('grid')
@Controller('communities/:communityId/settings')
export class SettingsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...READERS)
  @Get()
  @ApiOperation({
    summary: "The community's settings: case categories, evaluation weights and agenda labels",
    description:
      'A community that changed nothing runs on the defaults (revision 0): the nine categories with their deadlines ' +
      'and routing, weights 50/30/20 and the standard agenda wording.',
  })
  @ApiOkResponse({ type: CommunitySettingsView })
  @ApiSecured(400)
  get(@Param() path: CommunityPath): Promise<CommunitySettingsView> {
    return this.rpc.send(GridSettingsRpc.get, { communityId: path.communityId });
  }

  @Roles(...EDITORS)
  @Put()
  @ApiOperation({
    summary: "Replace the community's settings, made on the revision read",
    description:
      'A stale `expectedRevision` answers 409 with the current one. Category codes are unique, at least one category ' +
      'is active, weights sum to 100; a category with cases filed under it can be deactivated but not removed. ' +
      'New cases use the change at once; every accepted change is kept in the history.',
  })
  @ApiOkResponse({ type: CommunitySettingsView })
  @ApiSecured(400, 404, 409)
  put(@Param() path: CommunityPath, @Body() body: CommunitySettingsDto): Promise<CommunitySettingsView> {
    return this.rpc.send(GridSettingsRpc.put, { communityId: path.communityId, settings: body });
  }

  @Roles(...READERS)
  @Get('history')
  @ApiOperation({ summary: 'Accepted changes of the settings, latest first: who, when and what changed' })
  @ApiOkResponse({ type: SettingsHistoryPage })
  @ApiSecured(400)
  history(
    @Param() path: CommunityPath,
    @Query() query: SettingsHistoryQueryDto,
  ): Promise<SettingsHistoryPage> {
    return this.rpc.send(GridSettingsRpc.history, { communityId: path.communityId, page: query });
  }
}
