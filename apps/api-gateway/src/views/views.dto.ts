import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  BallotProgress,
  BallotView,
  CaseStatisticsView,
  CaseView,
  CommunityView,
  LastActionItemsView,
  PartyMemberView,
  RegistrationCoverageView,
  VolunteerProfileView,
} from '@cg/contracts';
import { IsISO8601, IsMongoId, IsOptional } from 'class-validator';
import { CommunityPath } from '../http/paths';
import { DEGRADED, Section, SectionOf } from '../me/sections';

export class PeriodQuery {
  @ApiPropertyOptional({ description: 'Start of the period; default the first day of this month (UTC+8)' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'End of the period, exclusive; default now' })
  @IsOptional()
  @IsISO8601()
  to?: string;
}

export class GridPath extends CommunityPath {
  @ApiProperty({ description: 'Grid id' })
  @IsMongoId()
  gridId: string;
}

export class OpenBallot {
  @ApiProperty({ type: BallotView }) ballot: BallotView;
  @ApiProperty({ type: BallotProgress }) progress: BallotProgress;
}

export class ActivitySummary {
  @ApiProperty({ description: 'Published activities not yet started' }) upcoming: number;
  @ApiProperty({ description: 'Activities finished in the period' }) finished: number;
  @ApiProperty({ description: 'Places offered by upcoming activities, in people' }) places: number;
  @ApiProperty({ description: 'Places already taken' }) placesTaken: number;
  @ApiProperty({ example: '72.50', description: 'Percent of places taken, rounded down' }) fillRate: string;
}

export class MicroWishSummary {
  @ApiProperty({ description: 'Counts by status, of the latest 200 wishes' }) byStatus: Record<string, number>;
  @ApiProperty({ description: 'Approved and waiting for a claimant' }) openOnBoard: number;
}

export class CommunityDashboard {
  @ApiProperty() communityId: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty(DEGRADED) degraded: boolean;
  @ApiProperty({ type: SectionOf('CaseStatisticsSection', CaseStatisticsView) }) cases: Section<CaseStatisticsView>;
  @ApiProperty({ type: SectionOf('OpenBallotsProgressSection', OpenBallot, true) }) ballots: Section<OpenBallot[]>;
  @ApiProperty({ type: SectionOf('ActivitySummarySection', ActivitySummary) }) activities: Section<ActivitySummary>;
  @ApiProperty({ type: SectionOf('CoverageSection', RegistrationCoverageView) })
  dualRegistration: Section<RegistrationCoverageView>;
  @ApiProperty({ type: SectionOf('MicroWishSummarySection', MicroWishSummary) }) microWishes: Section<MicroWishSummary>;
}

export class GridWorkbench {
  @ApiProperty() communityId: string;
  @ApiProperty() gridId: string;
  @ApiProperty(DEGRADED) degraded: boolean;
  @ApiProperty({ type: SectionOf('OverdueCasesSection', CaseView, true), description: 'Open cases past their deadline' })
  overdue: Section<CaseView[]>;
  @ApiProperty({ type: SectionOf('DueTodayCasesSection', CaseView, true), description: 'Open cases due by the end of today' })
  dueToday: Section<CaseView[]>;
  @ApiProperty({ type: SectionOf('AssignedCasesSection', CaseView, true), description: 'Open cases assigned to me' })
  assignedToMe: Section<CaseView[]>;
  @ApiProperty({
    type: SectionOf('LastMeetingActionItemsSection', LastActionItemsView),
    description: "Action items of the grid's last monthly meeting",
  })
  lastMeeting: Section<LastActionItemsView>;
  @ApiProperty({ type: SectionOf('GridPartyMembersSection', PartyMemberView, true), description: 'Registered party members of the grid' })
  partyMembers: Section<PartyMemberView[]>;
  @ApiProperty({ type: SectionOf('GridVolunteersSection', VolunteerProfileView, true), description: 'Volunteers living in the grid' })
  volunteers: Section<VolunteerProfileView[]>;
}

export class CommunityOverview {
  @ApiProperty({ type: CommunityView }) community: CommunityView;
  @ApiProperty(DEGRADED) degraded: boolean;
  @ApiProperty({ type: SectionOf('OverviewCasesSection', CaseStatisticsView) }) cases: Section<CaseStatisticsView>;
  @ApiProperty({ type: SectionOf('OverviewBallotsSection', BallotView, true) }) openBallots: Section<BallotView[]>;
}

export class DistrictDashboard {
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty({ description: 'True when any community on this page is degraded' }) degraded: boolean;
  @ApiProperty({ type: [CommunityOverview] }) communities: CommunityOverview[];
  @ApiPropertyOptional({ description: 'More communities follow; page with `cursor`' }) nextCursor?: string;
}
