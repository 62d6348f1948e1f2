import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ActivitiesRpc,
  ActivityStatus,
  AnnouncementsRpc,
  BallotStatus,
  CaseStatus,
  GridCaseRpc,
  GridRpc,
  MembershipRpc,
  MembershipVolunteerRpc,
  NotificationsRpc,
  Principal,
  PropertyRpc,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Metrics, SERVICE_CONFIG } from '@cg/observability';
import { GatewayConfig } from '../config';
import { CurrentPrincipal } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { MeView } from './me.views';
import { notApplicable, section, served } from './sections';

@ApiTags('me')
@Controller('me')
export class MeController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly metrics: Metrics,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The resident's home screen in one call",
    description:
      'Profile, residence and who is responsible, my open cases, upcoming activities, my micro-wishes, open ' +
      'ballots, my volunteer hours and the notices for my building. Membership, grid, activities and property are asked in parallel. A section whose service is down or slow ' +
      'comes back with `status: unavailable` (or `timed_out`) and the reason within the section budget, and the view ' +
      'says `degraded: true`; the rest still answers.',
  })
  @ApiOkResponse({ type: MeView })
  @ApiSecured()
  async me(@CurrentPrincipal() principal: Principal): Promise<MeView> {
    const { personId } = principal;
    const communityId = principal.communityIds[0];
    if (!personId || !communityId) {
      const missing = notApplicable<never>('This account is not linked to a resident');
      return {
        account: principal,
        ...served(this.metrics, 'me', {
          profile: missing,
          residence: missing,
          cases: missing,
          activities: missing,
          microWishes: missing,
          ballots: missing,
          volunteerHours: missing,
          announcements: missing,
          notifications: missing,
        }),
      };
    }
    const options = { timeoutMs: this.config.sectionTimeoutMs };
    const now = Date.now();
    const [profile, residence, cases, activities, microWishes, ballots, volunteerHours, announcements, notifications] = await Promise.all([
      section(() => this.rpc.send(MembershipRpc.getResident, { communityId, personId }, options)),
      section(() => this.rpc.send(GridRpc.getResidence, { communityId, personId }, options)),
      // A resident's case list holds only the cases they reported.
      section(async () => {
        const page = await this.rpc.send(GridCaseRpc.list, { communityId, query: { limit: 50 } }, options);
        return page.items.filter((c) => c.status !== CaseStatus.Closed);
      }),
      section(async () => {
        const page = await this.rpc.send(
          ActivitiesRpc.listActivities,
          { communityId, query: { status: ActivityStatus.Published, limit: 50 } },
          options,
        );
        return page.items.filter((a) => Date.parse(a.startsAt) > now).slice(0, 10);
      }),
      section(async () => {
        const page = await this.rpc.send(ActivitiesRpc.listMicroWishes, { communityId, query: { mine: true, limit: 50 } }, options);
        return page.items;
      }),
      section(async () => {
        const page = await this.rpc.send(PropertyRpc.listBallots, { communityId, page: { limit: 50 } }, options);
        return page.items.filter((b) => b.status === BallotStatus.Open);
      }),
      section(() =>
        this.rpc.send(MembershipVolunteerRpc.hoursOf, { communityId, personId, page: { limit: 10 } }, options),
      ),
      section(() => this.rpc.send(AnnouncementsRpc.feed, { communityId, page: { limit: 10 } }, options)),
      section(() => this.rpc.send(NotificationsRpc.unreadCount, {}, options)),
    ]);
    return {
      account: principal,
      ...served(this.metrics, 'me', {
        profile,
        residence,
        cases,
        activities,
        microWishes,
        ballots,
        volunteerHours,
        announcements,
        notifications,
      }),
    };
  }
}
