import { ApiProperty } from '@nestjs/swagger';
import {
  ActivityView,
  AnnouncementPage,
  BallotView,
  CaseView,
  MicroWishView,
  PrincipalView,
  ResidenceView,
  ResidentView,
  UnreadCountView,
  VolunteerHoursView,
} from '@cg/contracts';
import { DEGRADED, Section, SectionOf } from './sections';

const ProfileSection = SectionOf('ProfileSection', ResidentView);
const ResidenceSection = SectionOf('ResidenceSection', ResidenceView);
const CasesSection = SectionOf('MyCasesSection', CaseView, true);
const ActivitiesSection = SectionOf('UpcomingActivitiesSection', ActivityView, true);
const WishesSection = SectionOf('MyMicroWishesSection', MicroWishView, true);
const BallotsSection = SectionOf('OpenBallotsSection', BallotView, true);
const HoursSection = SectionOf('MyVolunteerHoursSection', VolunteerHoursView);
const AnnouncementsSection = SectionOf('MyAnnouncementsSection', AnnouncementPage);
const NotificationsSection = SectionOf('MyNotificationsSection', UnreadCountView);

export class MeView {
  @ApiProperty({ type: PrincipalView }) account: PrincipalView;
  @ApiProperty(DEGRADED) degraded: boolean;
  @ApiProperty({ type: ProfileSection, description: 'Membership: who I am and my household' })
  profile: Section<ResidentView>;
  @ApiProperty({ type: ResidenceSection, description: 'Grid: my unit, building, grid and who is responsible today' })
  residence: Section<ResidenceView>;
  @ApiProperty({ type: CasesSection, description: 'Grid: cases I reported that are not closed' })
  cases: Section<CaseView[]>;
  @ApiProperty({ type: ActivitiesSection, description: 'Activities: published activities that have not started yet' })
  activities: Section<ActivityView[]>;
  @ApiProperty({ type: WishesSection, description: 'Activities: micro-wishes I posted' })
  microWishes: Section<MicroWishView[]>;
  @ApiProperty({ type: BallotsSection, description: "Property: owners' assembly ballots open now" })
  ballots: Section<BallotView[]>;
  @ApiProperty({ type: HoursSection, description: 'Membership: my volunteer hours and points, latest entries first' })
  volunteerHours: Section<VolunteerHoursView>;
  @ApiProperty({ type: AnnouncementsSection, description: 'Activities: notices for my building, pinned first, newest next' })
  announcements: Section<AnnouncementPage>;
  @ApiProperty({ type: NotificationsSection, description: 'Notifications: how many of my notices are unread' })
  notifications: Section<UnreadCountView>;
}
