import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ActivityStatus,
  ActivityType,
  AudienceDto,
  ClaimantKind,
  HouseholdMemberDto,
  MicroWishCategory,
  MicroWishStatus,
  OrganiserDto,
  RegistrationStatus,
  ShiftSourceDto,
  SignUpStatus,
} from './dto';

export class ActivityView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() title: string;
  @ApiProperty({ enum: ActivityType }) type: ActivityType;
  @ApiPropertyOptional() description?: string;
  @ApiProperty({ type: OrganiserDto }) organiser: OrganiserDto;
  @ApiProperty() place: string;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty({ type: AudienceDto }) audience: AudienceDto;
  @ApiProperty({ description: 'Places, in people' }) capacity: number;
  @ApiProperty({ description: 'Places not yet taken' }) placesLeft: number;
  @ApiProperty() registrationOpensAt: string;
  @ApiProperty() registrationClosesAt: string;
  @ApiProperty() familyMembersAllowed: boolean;
  @ApiPropertyOptional() coverUrl?: string;
  @ApiProperty({ enum: ActivityStatus }) status: ActivityStatus;
  @ApiPropertyOptional() publishedAt?: string;
}

export class ActivityPage {
  @ApiProperty({ type: [ActivityView] }) items: ActivityView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class RegistrationView {
  @ApiProperty() id: string;
  @ApiProperty() activityId: string;
  @ApiProperty() personId: string;
  @ApiProperty() personName: string;
  @ApiProperty({ type: [HouseholdMemberDto] }) members: HouseholdMemberDto[];
  @ApiProperty({ description: 'People held: the resident plus household members' }) headcount: number;
  @ApiProperty({ enum: RegistrationStatus }) status: RegistrationStatus;
  @ApiPropertyOptional({ description: 'Order in the waiting list (lower goes first)' }) queuePosition?: number;
  @ApiPropertyOptional({ description: "Only in the registrant's own view: the code behind the check-in QR code" })
  checkInCode?: string;
  @ApiPropertyOptional() checkedInAt?: string;
  @ApiProperty() registeredAt: string;
}

export class RegistrationPage {
  @ApiProperty({ type: [RegistrationView] }) items: RegistrationView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class AttendanceView {
  @ApiProperty() activityId: string;
  @ApiProperty() confirmedRegistrations: number;
  @ApiProperty() confirmedPeople: number;
  @ApiProperty() checkedInRegistrations: number;
  @ApiProperty() checkedInPeople: number;
  @ApiProperty() waitlistedRegistrations: number;
  @ApiProperty({ example: '0.25', description: 'Confirmed people who did not check in, over confirmed people; decimal string' })
  noShowRate: string;
}

export class ShiftView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ type: ShiftSourceDto }) source: ShiftSourceDto;
  @ApiProperty() role: string;
  @ApiProperty() startsAt: string;
  @ApiProperty() endsAt: string;
  @ApiProperty() headcount: number;
  @ApiProperty() slotsLeft: number;
  @ApiProperty({ example: '1.50' }) hours: string;
}

export class ShiftPage {
  @ApiProperty({ type: [ShiftView] }) items: ShiftView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class SignUpView {
  @ApiProperty() id: string;
  @ApiProperty() shiftId: string;
  @ApiProperty() personId: string;
  @ApiProperty() personName: string;
  @ApiProperty({ enum: SignUpStatus }) status: SignUpStatus;
  @ApiPropertyOptional({ example: '1.50' }) hours?: string;
  @ApiProperty() signedUpAt: string;
  @ApiPropertyOptional() completedAt?: string;
}

export class SignUpPage {
  @ApiProperty({ type: [SignUpView] }) items: SignUpView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ClaimantView {
  @ApiProperty({ enum: ClaimantKind }) kind: ClaimantKind;
  @ApiProperty() name: string;
  @ApiPropertyOptional() personId?: string;
  @ApiProperty() claimedAt: string;
}

export class MicroWishView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() what: string;
  @ApiProperty() why: string;
  @ApiProperty() neededBy: string;
  @ApiProperty({ enum: MicroWishCategory }) category: MicroWishCategory;
  @ApiProperty({ type: [String] }) photoUrls: string[];
  @ApiProperty() gridId: string;
  @ApiProperty({ enum: MicroWishStatus }) status: MicroWishStatus;
  @ApiPropertyOptional({ description: 'Shown to the resident who posted it and to staff' }) residentPersonId?: string;
  @ApiPropertyOptional() rejectionReason?: string;
  @ApiPropertyOptional({ description: 'Unclaimed wishes expire at this time' }) expiresAt?: string;
  @ApiPropertyOptional({ type: ClaimantView }) claimant?: ClaimantView;
  @ApiPropertyOptional() fulfilledAt?: string;
  @ApiPropertyOptional() fulfilmentNote?: string;
  @ApiPropertyOptional() closedAt?: string;
  @ApiPropertyOptional({ description: 'The thank-you or the reason for a dispute' }) residentNote?: string;
  @ApiProperty() postedAt: string;
}

export class MicroWishPage {
  @ApiProperty({ type: [MicroWishView] }) items: MicroWishView[];
  @ApiPropertyOptional() nextCursor?: string;
}
