import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsISO8601,
  IsInt,
  IsMongoId,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import type { InCommunity } from '../grid/subjects';
import { rpc } from '../rpc';
import { AssemblyMatter } from './dto';
import { BallotView } from './views';

export enum TopicCategory {
  PropertyService = 'property_service',
  CommonParts = 'common_parts',
  Environment = 'environment',
  Safety = 'safety',
  Parking = 'parking',
  Neighbourhood = 'neighbourhood',
  Other = 'other',
}

/** Whose matter a topic is: the whole community, one grid, or one building. */
export enum TopicScope {
  Community = 'community',
  Grid = 'grid',
  Building = 'building',
}

/** Options of a ballot made from a topic when none are given. */
export const TOPIC_BALLOT_OPTIONS = ['for', 'against', 'abstain'];

export class RaiseTopicDto {
  @ApiProperty({ example: 'Turn the unused bike shed of building 12 into a parcel room' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'Parcels pile up in the lobby every day; the shed has been empty since 2022.' })
  @IsString()
  @MinLength(1)
  @MaxLength(8000)
  description: string;

  @ApiProperty({ enum: TopicCategory })
  @IsEnum(TopicCategory)
  category: TopicCategory;

  @ApiPropertyOptional({ enum: TopicScope, default: TopicScope.Community })
  @IsOptional()
  @IsEnum(TopicScope)
  scope?: TopicScope;

  @ApiPropertyOptional({ description: "The grid or building; the raiser's own when absent" })
  @IsOptional()
  @IsMongoId()
  scopeId?: string;
}

export class TopicListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: TopicCategory })
  @IsOptional()
  @IsEnum(TopicCategory)
  category?: TopicCategory;

  @ApiPropertyOptional({ description: 'Only topics of this grid or building' })
  @IsOptional()
  @IsMongoId()
  scopeId?: string;
}

export class PostReplyDto {
  @ApiProperty({ example: 'Agreed; the shed also floods in summer, it needs a raised floor.' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  body: string;
}

export class HidePostDto {
  @ApiProperty({ example: "Names a neighbour's phone number" })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  reason: string;
}

export class TopicBallotDto {
  @ApiProperty({ enum: AssemblyMatter, description: 'Decides the majority, as for any ballot' })
  @IsEnum(AssemblyMatter)
  matter: AssemblyMatter;

  @ApiPropertyOptional({
    type: [String],
    example: TOPIC_BALLOT_OPTIONS,
    description: `2-20 distinct options; ${TOPIC_BALLOT_OPTIONS.join(', ')} when absent`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  options?: string[];

  @ApiProperty({ example: '2025-06-01T08:00:00+08:00' })
  @IsISO8601({ strict: true })
  opensAt: string;

  @ApiProperty({ example: '2025-06-15T20:00:00+08:00' })
  @IsISO8601({ strict: true })
  closesAt: string;
}

/** The body that takes a well-supported topic up: the residents' committee (居委会) or the owners' committee (业委会). */
export enum DeliberationBody {
  ResidentsCommittee = 'residents_committee',
  OwnersCommittee = 'owners_committee',
}

export enum TopicDecision {
  Accepted = 'accepted',
  Declined = 'declined',
  ReferredToBallot = 'referred_to_ballot',
}

/** Supports a topic needs before a committee takes it up, when the community has not set its own. */
export const DEFAULT_SUPPORT_THRESHOLD = 20;
export const MAX_SUPPORT_THRESHOLD = 100_000;

export class DeliberationSettingsDto {
  @ApiProperty({ minimum: 1, maximum: MAX_SUPPORT_THRESHOLD, example: 20 })
  @IsInt()
  @Min(1)
  @Max(MAX_SUPPORT_THRESHOLD)
  supportThreshold: number;
}

export class DeliberationSettingsView {
  @ApiProperty() communityId: string;
  @ApiProperty({ description: 'Supports a topic needs before a committee takes it up' })
  supportThreshold: number;
  @ApiProperty({ description: 'False while the community uses the default' }) customised: boolean;
  @ApiPropertyOptional() updatedBy?: string;
  @ApiPropertyOptional() updatedAt?: string;
}

export class TakeUpTopicDto {
  @ApiPropertyOptional({
    enum: DeliberationBody,
    description:
      "The body acting; needed only when the caller sits on both. Community staff act for the residents' committee, owners' committee members for the owners' committee.",
  })
  @IsOptional()
  @IsEnum(DeliberationBody)
  body?: DeliberationBody;
}

export class TopicResponseDto {
  @ApiProperty({ example: 'The shed becomes a parcel room in July; the property company fits shelves.' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  text: string;

  @ApiProperty({ enum: TopicDecision })
  @IsEnum(TopicDecision)
  decision: TopicDecision;
}

export class TopicTakeUpView {
  @ApiProperty({ enum: DeliberationBody }) body: DeliberationBody;
  @ApiProperty({ description: 'Account that took it up' }) by: string;
  @ApiProperty() byName: string;
  @ApiProperty() at: string;
  @ApiProperty({ description: 'Supports when it was taken up' }) supports: number;
  @ApiProperty({ description: 'The threshold in force then' }) threshold: number;
}

export class TopicResponseView {
  @ApiProperty({ enum: DeliberationBody }) body: DeliberationBody;
  @ApiProperty() text: string;
  @ApiProperty({ enum: TopicDecision }) decision: TopicDecision;
  @ApiProperty() by: string;
  @ApiProperty() byName: string;
  @ApiProperty() at: string;
}

export class ModerationView {
  @ApiProperty() reason: string;
  @ApiProperty() by: string;
  @ApiProperty() at: string;
}

export class TopicView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiPropertyOptional({ description: 'Withheld from residents once hidden' }) title?: string;
  @ApiPropertyOptional({ description: 'Withheld from residents once hidden' }) description?: string;
  @ApiProperty({ enum: TopicCategory }) category: TopicCategory;
  @ApiProperty({ enum: TopicScope }) scope: TopicScope;
  @ApiPropertyOptional({ description: 'The grid or building' }) scopeId?: string;
  @ApiProperty() authorName: string;
  @ApiPropertyOptional() authorPersonId?: string;
  @ApiProperty() raisedAt: string;
  @ApiPropertyOptional({ description: 'Supports are refused from then on unless the threshold was reached before' })
  expiresAt?: string;
  @ApiProperty({ description: 'Past its expiry without having reached the threshold: takes no supports' })
  expired: boolean;
  @ApiPropertyOptional({ description: 'When a support first brought it to the threshold' }) thresholdReachedAt?: string;
  @ApiProperty({ description: 'People who support it' }) supports: number;
  @ApiProperty({ description: 'The caller supports it' }) supportedByMe: boolean;
  @ApiProperty() replies: number;
  @ApiPropertyOptional({ type: ModerationView, description: 'Hidden by staff, with the reason' })
  hidden?: ModerationView;
  @ApiPropertyOptional({ description: "The owners' assembly ballot made from it" }) ballotId?: string;
  @ApiPropertyOptional({ type: TopicTakeUpView, description: 'Taken up by a committee: which, who, when' })
  takeUp?: TopicTakeUpView;
  @ApiPropertyOptional({ type: TopicResponseView, description: "The committee's recorded response" })
  response?: TopicResponseView;
}

export class TopicPage {
  @ApiProperty({ type: [TopicView], description: 'Most supported first, then newest' }) items: TopicView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ReplyView {
  @ApiProperty() id: string;
  @ApiProperty() topicId: string;
  @ApiPropertyOptional({ description: 'Withheld from residents once hidden' }) body?: string;
  @ApiProperty() authorName: string;
  @ApiPropertyOptional() authorPersonId?: string;
  @ApiProperty() postedAt: string;
  @ApiPropertyOptional({ type: ModerationView }) hidden?: ModerationView;
}

export class ReplyPage {
  @ApiProperty({ type: [ReplyView], description: 'Oldest first' }) items: ReplyView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class TopicBallotView {
  @ApiProperty({ type: TopicView }) topic: TopicView;
  @ApiProperty({ type: BallotView }) ballot: BallotView;
}

type OfTopic = InCommunity & { topicId: string };

export const DeliberationRpc = {
  raise: rpc<InCommunity & { topic: RaiseTopicDto }, TopicView>('property.topics.raise'),
  list: rpc<InCommunity & { query: TopicListQueryDto }, TopicPage>('property.topics.list'),
  get: rpc<OfTopic, TopicView>('property.topics.get'),
  support: rpc<OfTopic, TopicView>('property.topics.support'),
  hide: rpc<OfTopic & { moderation: HidePostDto }, TopicView>('property.topics.hide'),
  toBallot: rpc<OfTopic & { ballot: TopicBallotDto }, TopicBallotView>('property.topics.to-ballot'),
  reply: rpc<OfTopic & { reply: PostReplyDto }, ReplyView>('property.topic-replies.post'),
  replies: rpc<OfTopic & { page: PageQueryDto }, ReplyPage>('property.topic-replies.list'),
  hideReply: rpc<OfTopic & { replyId: string; moderation: HidePostDto }, ReplyView>(
    'property.topic-replies.hide',
  ),
  takeUp: rpc<OfTopic & { takeUp: TakeUpTopicDto }, TopicView>('property.topics.take-up'),
  respond: rpc<OfTopic & { response: TopicResponseDto }, TopicView>('property.topics.respond'),
  getSettings: rpc<InCommunity, DeliberationSettingsView>('property.deliberation-settings.get'),
  saveSettings: rpc<InCommunity & { settings: DeliberationSettingsDto }, DeliberationSettingsView>(
    'property.deliberation-settings.save',
  ),
} as const;
