import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Availability, EventEnvelope, HoursSource } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

/** A resident's offer to volunteer: what they can do and when. One per person and community. */
@Schema({ collection: 'volunteer_profiles', timestamps: true, versionKey: false })
export class VolunteerProfile {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) personId: Types.ObjectId;
  @Prop({ required: true }) name: string;
  @Prop({ type: [String], default: [] }) skills: string[];
  @Prop({ type: [String], default: [] }) availability: Availability[];
  @Prop({ type: Types.ObjectId }) buildingId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) gridId?: Types.ObjectId;
  /** The residence revision the building and grid above come from; an older move does not replace them. */
  @Prop() placementRevision?: number;
  updatedAt?: Date;
}

export const VolunteerProfileSchema = SchemaFactory.createForClass(VolunteerProfile);
// One profile per person; saving again replaces it.
VolunteerProfileSchema.index({ communityId: 1, personId: 1 }, { unique: true });
// Volunteers of a community, paginated by _id.
VolunteerProfileSchema.index({ communityId: 1, _id: 1 });
// Volunteers with a given skill, paginated by _id.
VolunteerProfileSchema.index({ communityId: 1, skills: 1, _id: 1 });

/**
 * One line of the hours ledger. Its hours are never edited: a correction is a new entry pointing at the one it
 * corrects. Only the building and grid are filled in later, for entries recorded before the person's residence was
 * known. `sourceEventId` is unique, so an event delivered twice adds its hours once: the insert of the entry is the
 * credit, and its `hours recorded` event travels in the same insert.
 */
@Schema({
  collection: 'volunteer_hours',
  timestamps: { createdAt: 'recordedAt', updatedAt: false },
  versionKey: false,
})
export class HoursEntry {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) personId: Types.ObjectId;
  /** Signed hundredths of an hour. */
  @Prop({ required: true }) hoursHundredths: number;
  @Prop({ type: String, enum: HoursSource, required: true }) source: HoursSource;
  @Prop({ required: true }) sourceEventId: string;
  @Prop() sourceId?: string;
  @Prop() description?: string;
  @Prop({ type: Types.ObjectId }) correctsEntryId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) buildingId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) gridId?: Types.ObjectId;
  @Prop({ required: true }) occurredAt: Date;
  @Prop({ required: true }) recordedBy: string;
  /** Of the request or event that recorded the entry; its `hours recorded` event carries it. */
  @Prop() correlationId?: string;
  /** The entry's `hours recorded` event, written with it and cleared once published. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
  recordedAt?: Date;
}

export const HoursEntrySchema = SchemaFactory.createForClass(HoursEntry);
// Idempotency: one entry per source event (or staff entry).
HoursEntrySchema.index({ communityId: 1, sourceEventId: 1 }, { unique: true });
// A person's entries, paginated by _id, and their total.
HoursEntrySchema.index({ communityId: 1, personId: 1, _id: 1 });
// Leaderboard of a building.
HoursEntrySchema.index({ communityId: 1, buildingId: 1, personId: 1 });
// Leaderboard of a grid.
HoursEntrySchema.index({ communityId: 1, gridId: 1, personId: 1 });
// Corrections of one entry.
HoursEntrySchema.index({ communityId: 1, correctsEntryId: 1 });

/** A community's rates; absent means the defaults. `_id` is the community id. */
@Schema({ collection: 'volunteer_settings', timestamps: true, versionKey: false })
export class VolunteerSettings {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ required: true }) pointsPerHourHundredths: number;
  @Prop({ required: true }) hoursPerCaseHundredths: number;
}

export const VolunteerSettingsSchema = SchemaFactory.createForClass(VolunteerSettings);
