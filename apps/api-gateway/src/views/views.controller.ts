import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ActivitiesRpc,
  ActivityStatus,
  BallotStatus,
  CaseStatus,
  CaseView,
  DeadlineFlag,
  DualRegistrationStatus,
  GridCaseRpc,
  GridMeetingRpc,
  GridRpc,
  MembershipPartyRpc,
  MembershipVolunteerRpc,
  MicroWishStatus,
  PageQueryDto,
  Principal,
  PropertyRpc,
  Role,
} from '@cg/contracts';
import { CallOptions, RpcClient } from '@cg/messaging';
import { Metrics, SERVICE_CONFIG } from '@cg/observability';
import { GatewayConfig } from '../config';
import { CurrentPrincipal, Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { notApplicable, section, served } from '../me/sections';
import { endOfToday, percent, reportingPeriod } from './period';
import { CommunityDashboard, DistrictDashboard, GridPath, GridWorkbench, OpenBallot, PeriodQuery } from './views.dto';

const OPEN_CASE = (c: CaseView) => c.status !== CaseStatus.Resolved && c.status !== CaseStatus.Closed;

/** Role-shaped screens: each section asks one service, all in parallel, each within the section budget. */
@ApiTags('me')
@Controller()
export class ViewsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly metrics: Metrics,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
  ) {}

  private get budget(): CallOptions {
    return { timeoutMs: this.config.sectionTimeoutMs };
  }

  @Roles(Role.CommunityStaff, Role.DistrictAdmin)
  @Get('communities/:communityId/dashboard')
  @ApiOperation({
    summary: "The community staff's dashboard in one call",
    description:
      'Cases by status and category with on-time and satisfaction rates, open ballots with participation by area ' +
      'and headcount, activity participation, dual-registration coverage by building party group and the ' +
      'micro-wish board. A section whose service is down or slow is marked unavailable (or timed_out) and the view ' +
      '`degraded`; the rest still answers.',
  })
  @ApiOkResponse({ type: CommunityDashboard })
  @ApiSecured(400)
  async dashboard(@Param() path: CommunityPath, @Query() query: PeriodQuery): Promise<CommunityDashboard> {
    const { communityId } = path;
    const period = reportingPeriod(query.from, query.to);
    const now = Date.now();
    const [cases, ballots, activities, dualRegistration, microWishes] = await Promise.all([
      section(() => this.rpc.send(GridCaseRpc.statistics, { communityId, query: period }, this.budget)),
      section(() => this.openBallots(communityId)),
      section(async () => {
        const [published, finished] = await Promise.all(
          [ActivityStatus.Published, ActivityStatus.Finished].map((status) =>
            this.rpc.send(ActivitiesRpc.listActivities, { communityId, query: { status, limit: 200 } }, this.budget),
          ),
        );
        const upcoming = published.items.filter((a) => Date.parse(a.startsAt) > now);
        const places = upcoming.reduce((sum, a) => sum + a.capacity, 0);
        const placesTaken = upcoming.reduce((sum, a) => sum + (a.capacity - a.placesLeft), 0);
        const inPeriod = finished.items.filter((a) => a.endsAt >= period.from && a.endsAt < period.to);
        return { upcoming: upcoming.length, finished: inPeriod.length, places, placesTaken, fillRate: percent(placesTaken, places) };
      }),
      section(() => this.rpc.send(MembershipPartyRpc.coverage, { communityId }, this.budget)),
      section(async () => {
        const page = await this.rpc.send(ActivitiesRpc.listMicroWishes, { communityId, query: { limit: 200 } }, this.budget);
        const byStatus: Record<string, number> = {};
        for (const wish of page.items) byStatus[wish.status] = (byStatus[wish.status] ?? 0) + 1;
        return { byStatus, openOnBoard: byStatus[MicroWishStatus.Approved] ?? 0 };
      }),
    ]);
    return {
      communityId,
      ...period,
      ...served(this.metrics, 'community_dashboard', { cases, ballots, activities, dualRegistration, microWishes }),
    };
  }

  @Roles(Role.GridWorker, Role.CommunityStaff, Role.DistrictAdmin)
  @Get('communities/:communityId/grids/:gridId/workbench')
  @ApiOperation({
    summary: "The grid worker's screen in one call",
    description:
      "The grid's overdue cases and cases due today, cases assigned to me, the action items of the grid's last " +
      'monthly meeting, and the registered party members and volunteers of the grid. Sections fail on their own; ' +
      'the view says `degraded: true` when one did.',
  })
  @ApiOkResponse({ type: GridWorkbench })
  @ApiSecured(400)
  async workbench(@Param() path: GridPath, @CurrentPrincipal() principal: Principal): Promise<GridWorkbench> {
    const { communityId, gridId } = path;
    const todayEnds = endOfToday();
    const openCases = section(async () => {
      const page = await this.rpc.send(GridCaseRpc.list, { communityId, query: { gridId, limit: 200 } }, this.budget);
      return page.items.filter(OPEN_CASE);
    });
    const [lastMeeting, partyMembers, volunteers, cases] = await Promise.all([
      section(() => this.rpc.send(GridMeetingRpc.lastActionItems, { communityId, query: { gridId } }, this.budget)),
      section(async () => {
        const page = await this.rpc.send(
          MembershipPartyRpc.list,
          { communityId, query: { registration: DualRegistrationStatus.Approved, limit: 200 } },
          this.budget,
        );
        return page.items.filter((m) => m.gridId === gridId);
      }),
      section(async () => {
        const page = await this.rpc.send(MembershipVolunteerRpc.listProfiles, { communityId, query: { limit: 200 } }, this.budget);
        return page.items.filter((v) => v.gridId === gridId);
      }),
      openCases,
    ]);
    const pick = (keep: (c: CaseView) => boolean) => (cases.status === 'ok' ? { status: cases.status, data: cases.data!.filter(keep) } : cases);
    return {
      communityId,
      gridId,
      ...served(this.metrics, 'grid_workbench', {
        overdue: pick((c) => c.flag === DeadlineFlag.Red),
        dueToday: pick((c) => c.flag !== DeadlineFlag.Red && Date.parse(c.dueAt) < todayEnds),
        assignedToMe: principal.personId
          ? pick((c) => c.assignee?.personId === principal.personId)
          : notApplicable<CaseView[]>('This account is not linked to a person, so no case can be assigned to it'),
        lastMeeting,
        partyMembers,
        volunteers,
      }),
    };
  }

  @Roles(Role.DistrictAdmin)
  @Get('district/dashboard')
  @ApiOperation({
    summary: 'The district administrator’s overview across communities, a page of communities at a time',
    description:
      'Per community: case statistics for the period and the ballots open now. Sections fail on their own; a ' +
      'community with a missing section is `degraded`, and so is the page.',
  })
  @ApiOkResponse({ type: DistrictDashboard })
  @ApiSecured(400)
  async district(@Query() query: PeriodQuery, @Query() page: PageQueryDto): Promise<DistrictDashboard> {
    const period = reportingPeriod(query.from, query.to);
    const communities = await this.rpc.send(GridRpc.listCommunities, { page: { limit: page.limit ?? 20, cursor: page.cursor } });
    const overviews = await Promise.all(
      communities.items.map(async (community) => {
        const [cases, openBallots] = await Promise.all([
          section(() => this.rpc.send(GridCaseRpc.statistics, { communityId: community.id, query: period }, this.budget)),
          section(async () => {
            const ballots = await this.rpc.send(PropertyRpc.listBallots, { communityId: community.id, page: { limit: 50 } }, this.budget);
            return ballots.items.filter((b) => b.status === BallotStatus.Open);
          }),
        ]);
        return { community, ...served(this.metrics, 'district_dashboard', { cases, openBallots }) };
      }),
    );
    return {
      ...period,
      degraded: overviews.some((overview) => overview.degraded),
      communities: overviews,
      ...(communities.nextCursor && { nextCursor: communities.nextCursor }),
    };
  }

  private async openBallots(communityId: string): Promise<OpenBallot[]> {
    const page = await this.rpc.send(PropertyRpc.listBallots, { communityId, page: { limit: 50 } }, this.budget);
    const open = page.items.filter((b) => b.status === BallotStatus.Open).slice(0, 10);
    return Promise.all(
      open.map(async (ballot) => ({
        ballot,
        progress: await this.rpc.send(PropertyRpc.ballotProgress, { communityId, ballotId: ballot.id }, this.budget),
      })),
    );
  }
}
