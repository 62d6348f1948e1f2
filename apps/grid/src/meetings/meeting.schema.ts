import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { ActionItemStatus, EventEnvelope, JointBody, MeetingKind, MeetingStatus } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';
import type { Agenda } from './meeting-agenda';

export interface MeetingActor {
  sub: string;
  name: string;
}

export interface SubmissionRecord {
  id: string;
  department?: string;
  body?: JointBody;
  title: string;
  description: string;
  submittedAt: Date;
  submittedBy: MeetingActor;
}

export interface AttendeeRecord {
  name: string;
  position: string;
  personId?: string;
  department?: string;
  body?: JointBody;
}

export interface DecisionRecord {
  text: string;
  actionItemIds: string[];
}

/** Kept inside the meeting: each item is updated on its own, guarded by its version. */
export interface ActionItemRecord {
  id: string;
  decision: number;
  title: string;
  owner: { personId: string; name: string };
  dueDate: string;
  status: ActionItemStatus.Open | ActionItemStatus.Done;
  caseIds: string[];
  progressNote?: string;
  doneAt?: Date;
  /** Bumped by every change of this item: the condition of the next one. */
  version: number;
  updatedAt: Date;
  updatedBy: MeetingActor;
  /** When its owner was reminded that it is due soon; set once, by the update that queues the reminder event. */
  reminderSentAt?: Date;
}

/** A monthly grid meeting or a joint meeting of the community, from scheduling to its action items. */
@Schema({ collection: 'meetings', versionKey: false })
export class Meeting {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: String, enum: MeetingKind, required: true }) kind: MeetingKind;
  @Prop({ type: Types.ObjectId }) gridId?: Types.ObjectId;
  /** YYYY-MM reviewed by a grid meeting. */
  @Prop() month?: string;
  /** `grid:<gridId>:<month>` for a grid meeting, so the unique index allows one per grid per month; `joint:<id>` otherwise. */
  @Prop({ required: true }) slot: string;
  @Prop({ required: true }) title: string;
  @Prop() location?: string;
  @Prop({ required: true }) scheduledAt: Date;
  @Prop({ type: String, enum: MeetingStatus, required: true }) status: MeetingStatus;
  /** Bumped by every change: the condition of the next one. */
  @Prop({ required: true }) version: number;
  @Prop() topCategories?: number;
  @Prop() hotspots?: number;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) scheduledBy: MeetingActor;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) submissions: SubmissionRecord[];
  /** The agenda as it stood when the meeting was held; absent before. */
  @Prop({ type: MongooseSchema.Types.Mixed }) agenda?: Agenda;
  @Prop() heldAt?: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) attendees: AttendeeRecord[];
  @Prop() minutes?: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) decisions: DecisionRecord[];
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) actionItems: ActionItemRecord[];
  @Prop() closedAt?: Date;
  /** Events not yet published: pushed by the same update as the change that causes them. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox?: EventEnvelope[];
}

export type MeetingDocument = HydratedDocument<Meeting>;
export const MeetingSchema = SchemaFactory.createForClass(Meeting);
// One monthly meeting per grid per month: scheduling the same grid and month twice is refused.
MeetingSchema.index({ communityId: 1, slot: 1 }, { unique: true });
// The meeting list filtered by kind and grid (and status), paginated by _id.
MeetingSchema.index({ communityId: 1, kind: 1, gridId: 1, status: 1, _id: 1 });
// The meeting list filtered by grid alone, paginated by _id.
MeetingSchema.index({ communityId: 1, gridId: 1, _id: 1 });
// The meeting list filtered by status (and kind), paginated by _id.
MeetingSchema.index({ communityId: 1, status: 1, kind: 1, _id: 1 });
// The last meeting held of a grid (or of the community's joint meetings).
MeetingSchema.index({ communityId: 1, kind: 1, gridId: 1, heldAt: -1 });
// The reminder sweep across communities (a system task, not a tenant query): open items due on a date.
MeetingSchema.index({ 'actionItems.dueDate': 1 });
