import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsMongoId,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { rpc } from '../rpc';
import { CaseCategory } from './cases';
import { SettingsLanguage } from './settings';
import type { InCommunity } from './subjects';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export enum MeetingKind {
  /** 片区网格月度例会: one per grid per month. */
  GridMonthly = 'grid_monthly',
  /** 两委一中心 joint meeting of the community: residents' committee, owners' committee, property company. */
  Joint = 'joint',
}

/** scheduled → held → closed; nothing else. */
export enum MeetingStatus {
  Scheduled = 'scheduled',
  Held = 'held',
  Closed = 'closed',
}

/** The bodies of the joint meeting. */
export enum JointBody {
  ResidentsCommittee = 'residents_committee',
  OwnersCommittee = 'owners_committee',
  PropertyCompany = 'property_company',
}

export enum AgendaItemSource {
  /** One of the month's top complaint categories of the grid. */
  Complaints = 'complaints',
  /** A building with the most cases of the month. */
  Hotspot = 'hotspot',
  /** Submitted by a functional department before the meeting. */
  Department = 'department',
  /** Submitted by one body of the joint meeting. */
  Body = 'body',
}

/** `overdue` is never stored: an open item past its due date reads as overdue. */
export enum ActionItemStatus {
  Open = 'open',
  Done = 'done',
  Overdue = 'overdue',
}

export class ScheduleGridMeetingDto {
  @ApiProperty({ description: 'The grid whose monthly meeting this is' })
  @IsMongoId()
  gridId: string;

  @ApiProperty({ example: '2026-03', description: 'The month reviewed; one meeting per grid per month' })
  @Matches(MONTH, { message: 'month must be YYYY-MM' })
  month: string;

  @ApiProperty({ example: '2026-03-30T14:00:00+08:00' })
  @IsISO8601()
  scheduledAt: string;

  @ApiPropertyOptional({ example: 'Party-mass service station, room 2' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 9,
    default: 3,
    description:
      'How many top complaint categories go on the agenda (categories tied with the last are kept)',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(9)
  topCategories?: number;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10,
    default: 3,
    description: 'How many hotspot buildings (most cases, at least two) go on the agenda',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  hotspots?: number;
}

export class ScheduleJointMeetingDto {
  @ApiProperty({ example: 'Joint meeting on the east gate parking' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: '2026-03-12T19:00:00+08:00' })
  @IsISO8601()
  scheduledAt: string;

  @ApiPropertyOptional({ example: 'Community centre, meeting room 1' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;
}

export class RescheduleMeetingDto {
  @ApiProperty({
    description: 'The meeting version the caller saw; refused with CONFLICT if it changed since',
  })
  @IsInt()
  @Min(0)
  expectedVersion: number;

  @ApiPropertyOptional({ example: '2026-03-31T14:00:00+08:00' })
  @IsOptional()
  @IsISO8601()
  scheduledAt?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  location?: string;
}

export class SubmitAgendaItemDto {
  @ApiPropertyOptional({ example: 'Urban management', description: 'Required for a grid meeting' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  department?: string;

  @ApiPropertyOptional({ enum: JointBody, description: 'Required for a joint meeting' })
  @IsOptional()
  @IsEnum(JointBody)
  body?: JointBody;

  @ApiProperty({ example: 'Shared bicycles blocking the fire lane' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'Ask the operators to move them every morning; agree who checks.' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  description: string;
}

export class AttendeeDto {
  @ApiProperty({ example: 'Wang Fang' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;

  @ApiProperty({ example: 'grid_head', description: 'A grid position, or the role held in a body' })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  position: string;

  @ApiPropertyOptional({ description: 'Person id in membership, when the attendee has one' })
  @IsOptional()
  @IsMongoId()
  personId?: string;

  @ApiPropertyOptional({ example: 'Urban management' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  department?: string;

  @ApiPropertyOptional({
    enum: JointBody,
    description: 'The body the attendee speaks for, at a joint meeting',
  })
  @IsOptional()
  @IsEnum(JointBody)
  body?: JointBody;
}

export class NewActionItemDto {
  @ApiProperty({ example: 'Post quiet-hours notices in every stairwell of B003' })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title: string;

  @ApiProperty({ description: 'Person id of the owner in membership' })
  @IsMongoId()
  ownerPersonId: string;

  @ApiProperty({ example: 'Zhao Lei' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  ownerName: string;

  @ApiProperty({ example: '2026-04-15', description: 'Local date; the item is overdue from the next day' })
  @Matches(DATE, { message: 'dueDate must be YYYY-MM-DD' })
  dueDate: string;

  @ApiPropertyOptional({ type: [String], description: 'Cases of this community the item addresses' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsMongoId({ each: true })
  caseIds?: string[];
}

export class DecisionDto {
  @ApiProperty({ example: 'Group rentals in B003 are referred to the housing office' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  text: string;

  @ApiProperty({ type: [NewActionItemDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => NewActionItemDto)
  actionItems: NewActionItemDto[];
}

export class HoldMeetingDto {
  @ApiProperty({
    description: 'The meeting version the caller saw; refused with CONFLICT if it changed since',
  })
  @IsInt()
  @Min(0)
  expectedVersion: number;

  @ApiPropertyOptional({ example: '2026-03-30T14:05:00+08:00', description: 'Defaults to now' })
  @IsOptional()
  @IsISO8601()
  heldAt?: string;

  @ApiProperty({ type: [AttendeeDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AttendeeDto)
  attendees: AttendeeDto[];

  @ApiProperty({ example: 'Reviewed the month: noise complaints doubled around B003...' })
  @IsString()
  @MinLength(1)
  @MaxLength(20000)
  minutes: string;

  @ApiProperty({ type: [DecisionDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DecisionDto)
  decisions: DecisionDto[];
}

export class CloseMeetingDto {
  @ApiProperty({ description: 'The meeting version the caller saw' })
  @IsInt()
  @Min(0)
  expectedVersion: number;
}

export class UpdateActionItemDto {
  @ApiProperty({
    description: 'The action item version the caller saw; refused with CONFLICT if it changed since',
  })
  @IsInt()
  @Min(0)
  expectedVersion: number;

  @ApiPropertyOptional({ enum: [ActionItemStatus.Open, ActionItemStatus.Done] })
  @IsOptional()
  @IsIn([ActionItemStatus.Open, ActionItemStatus.Done])
  status?: ActionItemStatus.Open | ActionItemStatus.Done;

  @ApiPropertyOptional({ example: 'Notices posted in units 1-3; unit 4 next week' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  progressNote?: string;

  @ApiPropertyOptional({ example: '2026-04-30', description: 'Staff and grid workers only' })
  @IsOptional()
  @Matches(DATE, { message: 'dueDate must be YYYY-MM-DD' })
  dueDate?: string;
}

export class MeetingListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MeetingKind })
  @IsOptional()
  @IsEnum(MeetingKind)
  kind?: MeetingKind;

  @ApiPropertyOptional()
  @IsOptional()
  @IsMongoId()
  gridId?: string;

  @ApiPropertyOptional({ enum: MeetingStatus })
  @IsOptional()
  @IsEnum(MeetingStatus)
  status?: MeetingStatus;
}

export class LastActionItemsQueryDto {
  @ApiPropertyOptional({
    description:
      "The grid whose last monthly meeting is wanted; without it, the community's last joint meeting",
  })
  @IsOptional()
  @IsMongoId()
  gridId?: string;
}

export class MeetingActorView {
  @ApiProperty({ description: 'Account id' }) sub: string;
  @ApiProperty() name: string;
}

export class ComplaintCategoryView {
  @ApiProperty({ example: CaseCategory.Noise, description: 'A category code' }) category: string;
  @ApiProperty() count: number;
  @ApiProperty({ type: [String], description: 'Up to three of the latest cases of the category' })
  exampleCaseIds: string[];
}

export class HotspotView {
  @ApiProperty() buildingId: string;
  @ApiProperty({ example: 'B003' }) buildingLabel: string;
  @ApiProperty() count: number;
  @ApiProperty({ type: [String] }) exampleCaseIds: string[];
}

export class AgendaSubmissionView {
  @ApiProperty() id: string;
  @ApiPropertyOptional() department?: string;
  @ApiPropertyOptional({ enum: JointBody }) body?: JointBody;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ type: MeetingActorView }) submittedBy: MeetingActorView;
}

export class AgendaItemView {
  @ApiProperty({ description: 'Position on the agenda, from 1' }) number: number;
  @ApiProperty({ enum: AgendaItemSource }) source: AgendaItemSource;
  @ApiProperty() title: string;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ example: CaseCategory.Noise, description: 'A category code' }) category?: string;
  @ApiPropertyOptional() buildingId?: string;
  @ApiPropertyOptional() department?: string;
  @ApiPropertyOptional({ enum: JointBody }) body?: JointBody;
  @ApiPropertyOptional({ description: 'The submission the item came from' }) submissionId?: string;
  @ApiPropertyOptional({ description: 'Cases counted, for a case-derived item' }) count?: number;
  @ApiProperty({ type: [String] }) caseIds: string[];
}

export class AgendaView {
  @ApiProperty({ description: 'Live while the meeting is scheduled; frozen when it is held' })
  frozen: boolean;
  @ApiPropertyOptional({ description: 'Start of the month reviewed (grid meetings)' }) from?: string;
  @ApiPropertyOptional({ description: 'End of the month reviewed, exclusive (grid meetings)' }) to?: string;
  @ApiProperty({ description: 'Cases of the grid reported in the month' }) totalCases: number;
  @ApiProperty({ type: [ComplaintCategoryView] }) topCategories: ComplaintCategoryView[];
  @ApiProperty({ type: [HotspotView] }) hotspots: HotspotView[];
  @ApiProperty({ type: [AgendaItemView] }) items: AgendaItemView[];
}

export class AttendeeView {
  @ApiProperty() name: string;
  @ApiProperty() position: string;
  @ApiPropertyOptional() personId?: string;
  @ApiPropertyOptional() department?: string;
  @ApiPropertyOptional({ enum: JointBody }) body?: JointBody;
}

export class ActionItemOwnerView {
  @ApiProperty() personId: string;
  @ApiProperty() name: string;
}

export class ActionItemView {
  @ApiProperty() id: string;
  @ApiProperty() meetingId: string;
  @ApiProperty({ description: 'Index of the decision it came from' }) decision: number;
  @ApiProperty() title: string;
  @ApiProperty({ type: ActionItemOwnerView }) owner: ActionItemOwnerView;
  @ApiProperty({ example: '2026-04-15' }) dueDate: string;
  @ApiProperty({ enum: ActionItemStatus, description: 'Overdue when open after its due date' })
  status: ActionItemStatus;
  @ApiProperty({ type: [String] }) caseIds: string[];
  @ApiPropertyOptional() progressNote?: string;
  @ApiPropertyOptional() doneAt?: string;
  @ApiProperty({ description: 'Send it back as expectedVersion' }) version: number;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ type: MeetingActorView }) updatedBy: MeetingActorView;
}

export class DecisionView {
  @ApiProperty() text: string;
  @ApiProperty({ type: [String] }) actionItemIds: string[];
}

export class MeetingSummaryView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ enum: MeetingKind }) kind: MeetingKind;
  @ApiPropertyOptional() gridId?: string;
  @ApiPropertyOptional({ example: '2026-03' }) month?: string;
  @ApiProperty() title: string;
  @ApiPropertyOptional() location?: string;
  @ApiProperty() scheduledAt: string;
  @ApiProperty({ enum: MeetingStatus }) status: MeetingStatus;
  @ApiProperty({ description: 'Increases with every change; send it back as expectedVersion' })
  version: number;
  @ApiPropertyOptional() heldAt?: string;
  @ApiPropertyOptional() closedAt?: string;
}

export class MeetingView extends MeetingSummaryView {
  @ApiProperty({ type: MeetingActorView }) scheduledBy: MeetingActorView;
  @ApiPropertyOptional() topCategories?: number;
  @ApiPropertyOptional() hotspots?: number;
  @ApiProperty({ type: [AgendaSubmissionView] }) submissions: AgendaSubmissionView[];
  @ApiProperty({ type: AgendaView }) agenda: AgendaView;
  @ApiProperty({ type: [AttendeeView] }) attendees: AttendeeView[];
  @ApiPropertyOptional() minutes?: string;
  @ApiProperty({ type: [DecisionView] }) decisions: DecisionView[];
  @ApiProperty({ type: [ActionItemView] }) actionItems: ActionItemView[];
}

export class MeetingPage {
  @ApiProperty({ type: [MeetingSummaryView] }) items: MeetingSummaryView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class LastActionItemsView {
  @ApiPropertyOptional() gridId?: string;
  @ApiPropertyOptional({ type: MeetingSummaryView, description: 'Absent when no meeting has been held yet' })
  meeting?: MeetingSummaryView;
  @ApiProperty({ type: [ActionItemView] }) actionItems: ActionItemView[];
}

export interface OnMeeting extends InCommunity {
  meetingId: string;
}

export const GridMeetingRpc = {
  scheduleGrid: rpc<InCommunity & { meeting: ScheduleGridMeetingDto }, MeetingView>(
    'grid.meetings.schedule-grid',
  ),
  scheduleJoint: rpc<InCommunity & { meeting: ScheduleJointMeetingDto }, MeetingView>(
    'grid.meetings.schedule-joint',
  ),
  list: rpc<InCommunity & { query: MeetingListQueryDto }, MeetingPage>('grid.meetings.list'),
  /** Agenda titles in `language`, Chinese or English (the default). */
  get: rpc<OnMeeting & { language?: SettingsLanguage }, MeetingView>('grid.meetings.get'),
  reschedule: rpc<OnMeeting & { change: RescheduleMeetingDto }, MeetingView>('grid.meetings.reschedule'),
  submitItem: rpc<OnMeeting & { item: SubmitAgendaItemDto }, MeetingView>('grid.meetings.submit-item'),
  hold: rpc<OnMeeting & { record: HoldMeetingDto }, MeetingView>('grid.meetings.hold'),
  close: rpc<OnMeeting & { step: CloseMeetingDto }, MeetingView>('grid.meetings.close'),
  updateActionItem: rpc<OnMeeting & { itemId: string; change: UpdateActionItemDto }, ActionItemView>(
    'grid.meetings.update-action-item',
  ),
  lastActionItems: rpc<InCommunity & { query: LastActionItemsQueryDto }, LastActionItemsView>(
    'grid.meetings.last-action-items',
  ),
} as const;
