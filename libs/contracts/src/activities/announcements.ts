import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsISO8601,
  IsMongoId,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../common/pagination';
import { NestedObject } from '../common/validation';
import { event } from '../events';
import { rpc } from '../rpc';
import type { InCommunity } from '../grid/subjects';

export enum AnnouncementScope {
  Community = 'community',
  /** Residential areas (居民区). */
  Areas = 'areas',
  Grids = 'grids',
  Buildings = 'buildings',
}

/** Where an announcement stands at the time of asking. */
export enum AnnouncementState {
  Scheduled = 'scheduled',
  Live = 'live',
  Expired = 'expired',
}

export class AnnouncementAudienceDto {
  @ApiProperty({
    enum: AnnouncementScope,
    description: 'The whole community, or only the listed areas, grids or buildings',
  })
  @IsEnum(AnnouncementScope)
  scope: AnnouncementScope;

  @ApiPropertyOptional({ type: [String], description: 'With scope `areas`' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsMongoId({ each: true })
  areaIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'With scope `grids`' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsMongoId({ each: true })
  gridIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'With scope `buildings`' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(300)
  @IsMongoId({ each: true })
  buildingIds?: string[];
}

export class PostAnnouncementDto {
  @ApiProperty({ example: 'Water supply interrupted on Saturday morning' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: 'Buildings 12 to 18: no water from 08:00 to 11:00 while the pump is replaced.' })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  body: string;

  @ApiProperty({ type: AnnouncementAudienceDto })
  @NestedObject(() => AnnouncementAudienceDto)
  audience: AnnouncementAudienceDto;

  @ApiPropertyOptional({
    example: '2025-06-06T18:00:00+08:00',
    description: 'When it appears in feeds; defaults to now',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  publishAt?: string;

  @ApiPropertyOptional({
    example: '2025-06-07T12:00:00+08:00',
    description: 'When it leaves feeds; none means it stays',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;

  @ApiPropertyOptional({ description: 'Pinned notices come first in feeds' })
  @IsOptional()
  @IsBoolean()
  pinned?: boolean;
}

export class ListAnnouncementsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AnnouncementState })
  @IsOptional()
  @IsEnum(AnnouncementState)
  state?: AnnouncementState;
}

export class PinAnnouncementDto {
  @ApiProperty()
  @IsBoolean()
  pinned: boolean;
}

export class AnnouncementView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty() title: string;
  @ApiProperty() body: string;
  @ApiProperty({ type: AnnouncementAudienceDto }) audience: AnnouncementAudienceDto;
  @ApiProperty() publishAt: string;
  @ApiPropertyOptional() expiresAt?: string;
  @ApiProperty() pinned: boolean;
  @ApiProperty({ enum: AnnouncementState }) state: AnnouncementState;
  @ApiProperty() postedAt: string;
  @ApiPropertyOptional({ description: "In a resident's feed: when they read it" }) readAt?: string;
  @ApiPropertyOptional({ description: 'For staff: how many people have read it' }) readCount?: number;
}

export class AnnouncementPage {
  @ApiProperty({ type: [AnnouncementView] }) items: AnnouncementView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ReadReceiptView {
  @ApiProperty() announcementId: string;
  @ApiProperty() personId: string;
  @ApiProperty({ description: 'The first time the person read it' }) readAt: string;
  @ApiProperty({ description: 'False when the person had already read it; nothing was counted again' })
  firstRead: boolean;
}

export interface AnnouncementPublishedData {
  announcementId: string;
  title: string;
  scope: AnnouncementScope;
  /** The areas, grids or buildings addressed; empty for the whole community. */
  targetIds: string[];
  publishAt: string;
  expiresAt?: string;
  pinned: boolean;
}

export const AnnouncementEvents = {
  published: event<AnnouncementPublishedData>('evt.activities.announcement.published'),
} as const;

export class UnreadQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the residents of this building (building leaders must give theirs)' })
  @IsOptional()
  @IsMongoId()
  buildingId?: string;
}

export class UnreadReaderView {
  @ApiProperty() personId: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'The household: residents of one unit share it' }) unitId: string;
  @ApiProperty() buildingId: string;
  @ApiProperty() gridId: string;
  @ApiProperty({ enum: ['owner', 'tenant', 'family_member'] }) relation: string;
}

export class UnreadPage {
  @ApiProperty() announcementId: string;
  @ApiProperty({
    type: [UnreadReaderView],
    description: 'Residents of the audience living there today who have not read it; a page may hold fewer than `limit`',
  })
  items: UnreadReaderView[];
  @ApiPropertyOptional() nextCursor?: string;
}

type OfAnnouncement = InCommunity & { announcementId: string };

export const AnnouncementsRpc = {
  post: rpc<InCommunity & { announcement: PostAnnouncementDto }, AnnouncementView>(
    'activities.announcements.post',
  ),
  list: rpc<InCommunity & { query: ListAnnouncementsQueryDto }, AnnouncementPage>(
    'activities.announcements.list',
  ),
  feed: rpc<InCommunity & { page: PageQueryDto }, AnnouncementPage>('activities.announcements.feed'),
  get: rpc<OfAnnouncement, AnnouncementView>('activities.announcements.get'),
  pin: rpc<OfAnnouncement & { pin: PinAnnouncementDto }, AnnouncementView>('activities.announcements.pin'),
  markRead: rpc<OfAnnouncement, ReadReceiptView>('activities.announcements.mark-read'),
  unread: rpc<OfAnnouncement & { query: UnreadQueryDto }, UnreadPage>('activities.announcements.unread'),
} as const;
