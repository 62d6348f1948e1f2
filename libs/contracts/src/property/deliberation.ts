import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsISO8601,
  IsMongoId,
  IsOptional,
  IsString,
  MaxLength,
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
  @ApiProperty({ description: 'People who support it' }) supports: number;
  @ApiProperty({ description: 'The caller supports it' }) supportedByMe: boolean;
  @ApiProperty() replies: number;
  @ApiPropertyOptional({ type: ModerationView, description: 'Hidden by staff, with the reason' })
  hidden?: ModerationView;
  @ApiPropertyOptional({ description: "The owners' assembly ballot made from it" }) ballotId?: string;
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
} as const;
