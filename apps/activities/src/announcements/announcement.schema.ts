import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { AnnouncementScope, EventEnvelope } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

/** A notice to the community, some residential areas, grids or buildings. */
@Schema({ collection: 'announcements', versionKey: false })
export class Announcement {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) title: string;
  @Prop({ required: true }) body: string;
  @Prop({ type: String, enum: AnnouncementScope, required: true }) scope: AnnouncementScope;
  /** The areas, grids or buildings named by staff. */
  @Prop({ type: [String], default: [] }) targetIds: string[];
  /** Flat keys a reader's place is matched against (see audience.ts). */
  @Prop({ type: [String], required: true }) targets: string[];
  @Prop({ required: true }) publishAt: Date;
  @Prop() expiresAt?: Date;
  /** 1 when pinned: sorts pinned notices first. */
  @Prop({ required: true }) rank: number;
  /** Set by the one update that writes its published event; the scheduler looks for due notices without it. */
  @Prop({ required: true }) announced: boolean;
  @Prop({ required: true }) postedBy: string;
  @Prop({ required: true }) postedAt: Date;
  /** The published event, written by the same update that sets `announced`. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export type AnnouncementDocument = HydratedDocument<Announcement>;
export const AnnouncementSchema = SchemaFactory.createForClass(Announcement);
// A reader's feed: the community's notices for their keys, pinned first then newest.
AnnouncementSchema.index({ communityId: 1, targets: 1, rank: -1, publishAt: -1, _id: -1 });
// The staff list: every notice of the community in feed order.
AnnouncementSchema.index({ communityId: 1, rank: -1, publishAt: -1, _id: -1 });
// The scheduler: due notices whose published event is not written yet.
AnnouncementSchema.index({ announced: 1, publishAt: 1 });

/** A read receipt: one per person and announcement, `_id` is `<announcementId>:<personId>`. */
@Schema({ collection: 'announcement_reads', versionKey: false })
export class ReadReceipt {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) announcementId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) personId: Types.ObjectId;
  @Prop({ required: true }) readAt: Date;
}

export const ReadReceiptSchema = SchemaFactory.createForClass(ReadReceipt);
// One receipt per person and announcement; also the read counts per announcement.
ReadReceiptSchema.index({ communityId: 1, announcementId: 1, personId: 1 }, { unique: true });
