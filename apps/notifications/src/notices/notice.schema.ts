import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { NoticeKind, NoticeLanguage } from '@cg/contracts';
import { Schema as MongooseSchema } from 'mongoose';

export interface NoticeLink {
  kind: 'case' | 'activity' | 'announcement' | 'micro-wish' | 'consultation' | 'ballot';
  id: string;
}

/** Values a template fills in: ids, titles, names. */
export type NoticeParams = Record<string, string | number | undefined>;

/** A notice to one person. `_id` is `<eventId>:<personId>`: one per person and event, however often it arrives. */
@Schema({ collection: 'notices', versionKey: false })
export class PersonalNotice {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true }) eventId: string;
  @Prop({ required: true }) communityId: string;
  @Prop({ required: true }) personId: string;
  @Prop({ type: String, enum: NoticeKind, required: true }) kind: NoticeKind;
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) params: NoticeParams;
  @Prop({ type: MongooseSchema.Types.Mixed }) link?: NoticeLink;
  /** When it happened (the event's time): the inbox order. */
  @Prop({ required: true }) at: Date;
  /** When this service stored it: compared with the reader's read-all watermark. */
  @Prop({ required: true }) storedAt: Date;
}
export const PersonalNoticeSchema = SchemaFactory.createForClass(PersonalNotice);

/**
 * A notice to everyone of an audience (a community, areas, grids, buildings, holders of a role), stored once.
 * `_id` is the event id. Each reader's inbox matches `audiences` against the reader's own keys.
 */
@Schema({ collection: 'audience_notices', versionKey: false })
export class AudienceNotice {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true }) communityId: string;
  /** Audience keys: `community.<id>`, `area.<id>`, `grid.<id>`, `building.<id>`, `role.<communityId>.<role>`. */
  @Prop({ type: [String], required: true }) audiences: string[];
  @Prop({ type: String, enum: NoticeKind, required: true }) kind: NoticeKind;
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) params: NoticeParams;
  @Prop({ type: MongooseSchema.Types.Mixed }) link?: NoticeLink;
  @Prop({ required: true }) at: Date;
  @Prop({ required: true }) storedAt: Date;
}
export const AudienceNoticeSchema = SchemaFactory.createForClass(AudienceNotice);
// A reader's inbox: the newest audience notices for the reader's keys.
AudienceNoticeSchema.index({ audiences: 1, at: -1 });

export interface RecentNotice {
  id: string;
  at: Date;
}

/** One reader: language, read-all watermark and the ids of their newest personal notices. `_id` is the reader id. */
@Schema({ collection: 'recipients', versionKey: false })
export class Recipient {
  @Prop({ type: String }) _id: string;
  @Prop({ type: String, enum: NoticeLanguage }) language?: NoticeLanguage;
  /** Every notice stored up to this instant counts as read. */
  @Prop() readAllAt?: Date;
  /** Newest personal notices, capped (see RECENT_CAP): the inbox reads them by `_id`. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) recent: RecentNotice[];
}
export const RecipientSchema = SchemaFactory.createForClass(Recipient);

/** A reader read a notice: `_id` is `<readerId>:<noticeId>`, inserted once. */
@Schema({ collection: 'read_marks', versionKey: false })
export class ReadMark {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true }) readAt: Date;
}
export const ReadMarkSchema = SchemaFactory.createForClass(ReadMark);

/** Who filed a case, from grid's case filed event: the later case events do not say. `_id` is the case id. */
@Schema({ collection: 'case_reporters', versionKey: false })
export class CaseReporter {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true }) communityId: string;
  @Prop({ required: true }) personId: string;
  @Prop() category?: string;
}
export const CaseReporterSchema = SchemaFactory.createForClass(CaseReporter);

/** An activity's title, from its published event, for registration notices. `_id` is the activity id. */
@Schema({ collection: 'activity_titles', versionKey: false })
export class ActivityTitle {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true }) title: string;
}
export const ActivityTitleSchema = SchemaFactory.createForClass(ActivityTitle);
