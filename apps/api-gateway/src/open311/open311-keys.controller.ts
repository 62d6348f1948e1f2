import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { COMMUNITY_MANAGERS } from '@cg/auth';
import { Principal } from '@cg/contracts';
import { CurrentPrincipal, Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { SecretReply } from '../http/idempotency';
import { CommunityPath } from '../http/paths';
import { Open311Key, Open311Keys } from './open311-keys';
import { IssueOpen311KeyDto, IssuedOpen311KeyView, Open311KeyList, Open311KeyPath, Open311KeyView } from './open311.dto';

function toKeyView({ secretHash: _hash, ...key }: Open311Key): Open311KeyView {
  return key;
}

const holder = (principal: Principal) => ({ sub: principal.sub, name: principal.name });

@ApiTags('open311')
@Roles(...COMMUNITY_MANAGERS)
@Controller('communities/:communityId/open311-keys')
export class Open311KeysController {
  constructor(private readonly keys: Open311Keys) {}

  @Post()
  @SecretReply()
  @ApiOperation({
    summary: 'Issue an Open311 api_key to a client application; it files requests in this community',
    description: 'The api_key is answered this once; only its hash is kept. Requests filed with it are filed by the key, under its name.',
  })
  @ApiCreatedResponse({ type: IssuedOpen311KeyView })
  @ApiSecured(400, 409)
  async issue(@Param() path: CommunityPath, @Body() body: IssueOpen311KeyDto, @CurrentPrincipal() principal: Principal): Promise<IssuedOpen311KeyView> {
    const { key, apiKey } = await this.keys.issue(path.communityId, body.name, holder(principal));
    return { ...toKeyView(key), apiKey };
  }

  @Get()
  @ApiOperation({ summary: 'The Open311 api_keys of this community, revoked ones included, with when each was last used' })
  @ApiOkResponse({ type: Open311KeyList })
  @ApiSecured(400)
  async list(@Param() path: CommunityPath): Promise<Open311KeyList> {
    return { items: (await this.keys.list(path.communityId)).map(toKeyView) };
  }

  @Delete(':keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an Open311 api_key: filings with it are refused with 403 from now on, on every gateway' })
  @ApiNoContentResponse({ description: 'The key is revoked (or was already)' })
  @ApiSecured(400, 404)
  async revoke(@Param() path: Open311KeyPath, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.keys.revoke(path.communityId, path.keyId, holder(principal));
  }
}
