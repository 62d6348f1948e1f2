import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { NoticeChannelName, NoticeKind } from '@cg/contracts';
import { Schema as MongooseSchema } from 'mongoose';
import { NoticeLink, NoticeParams } from '../notices/notice.schema';
import { ChannelChoice } from './outbound-rules';

/**
 * A person's choices for notices leaving the system. `_id` is the person id. Stored only once they set one;
 * `communityIds` and `roles` are the caller's at that time, to find who an audience notice reaches.
 */
@Schema({ collection: 'notice_preferences', versionKey: false })
export class NoticePreferences {
  @Prop({ type: String }) _id: string;
  @Prop({ type: [String], default: [] }) communityIds: string[];
  @Prop({ type: [String], default: [] }) roles: string[];
  /** Some channel is on: the audience fan-out reads only these. */
  @Prop({ default: false }) outbound: boolean;
  @Prop() email?: string;
  @Prop() phone?: string;
  @Prop() wechatOpenId?: string;
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) channels: Partial<Record<NoticeChannelName, ChannelChoice>>;
  @Prop({ type: MongooseSchema.Types.Mixed }) quietHours?: { start: string; end: string } | null;
  @Prop() timeZone?: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) digest?: { enabled: boolean; at: string };
}
export const NoticePreferencesSchema = SchemaFactory.createForClass(NoticePreferences);
// The audience fan-out: people of a community with some channel on.
NoticePreferencesSchema.index({ communityIds: 1, outbound: 1 });

export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/**
 * One notice to one person over one channel. `_id` is `<noticeId>:<channel>` where the notice id names the person
 * (`<eventId>:<personId>`, or `<eventId>` of an audience notice plus `:<personId>`): inserted once, however often the
 * event arrives and however many replicas handle it, so that insert alone decides that it is sent.
 */
@Schema({ collection: 'deliveries', versionKey: false })
export class Delivery {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true }) personId: string;
  @Prop({ required: true }) noticeId: string;
  @Prop({ required: true }) communityId: string;
  @Prop({ type: String, enum: NoticeChannelName, required: true }) channel: NoticeChannelName;
  @Prop({ type: String, enum: NoticeKind, required: true }) kind: NoticeKind;
  @Prop({ type: MongooseSchema.Types.Mixed, default: {} }) params: NoticeParams;
  @Prop({ type: MongooseSchema.Types.Mixed }) link?: NoticeLink;
  @Prop({ type: String, required: true }) status: DeliveryStatus;
  /** Not sent before this: now, the end of quiet hours, the digest time, or the next retry. */
  @Prop({ required: true }) dueAt: Date;
  /** A sender holds it until then; another takes it over after. */
  @Prop({ required: true }) leaseUntil: Date;
  /** The sender holding it. */
  @Prop() claim?: string;
  @Prop({ default: 0 }) attempts: number;
  /** Sent with the other deliveries of this key in one digest e-mail. */
  @Prop() digestKey?: string;
  @Prop() sentAt?: Date;
  @Prop() lastError?: string;
  @Prop({ required: true }) createdAt: Date;
}
export const DeliverySchema = SchemaFactory.createForClass(Delivery);
// The sender's query: pending deliveries that are due.
DeliverySchema.index({ status: 1, dueAt: 1 });
// A digest's deliveries, and what one sender claimed.
DeliverySchema.index({ digestKey: 1, status: 1 });
DeliverySchema.index({ claim: 1 });
