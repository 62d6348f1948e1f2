import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GridRpc, MembershipRpc, Principal } from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { SERVICE_CONFIG } from '@cg/observability';
import { GatewayConfig } from '../config';
import { CurrentPrincipal } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { MeView } from './me.views';
import { notApplicable, section } from './sections';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The resident's home screen in one call",
    description:
      'Membership and grid are asked in parallel. A section whose service is down or slow comes back with ' +
      '`status: unavailable` and the reason; the rest of the view still answers.',
  })
  @ApiOkResponse({ type: MeView })
  @ApiSecured()
  async me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    const { personId } = principal;
    const communityId = principal.communityIds[0];
    const options = { timeoutMs: this.config.sectionTimeoutMs };
    if (!personId || !communityId) {
      const missing = 'This account is not linked to a resident';
      return { account: principal, profile: notApplicable(missing), residence: notApplicable(missing) };
    }
    const [profile, residence] = await Promise.all([
      section(() => this.rpc.send(MembershipRpc.getResident, { communityId, personId }, options)),
      section(() => this.rpc.send(GridRpc.getResidence, { communityId, personId }, options)),
    ]);
    return { account: principal, profile, residence };
  }
}
