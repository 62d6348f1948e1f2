import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope, ServiceRequestCategory, ServiceRequestOrigin, ServiceRequestStatus } from '@cg/contracts';
import { Schema as MongooseSchema, Types } from 'mongoose';

export interface RequestStep {
  action: string;
  from?: ServiceRequestStatus;
  to: ServiceRequestStatus;
  by: string;
  at: Date;
  note?: string;
}

/** A service request to the property company (报修/保洁/安保), from a resident or from a grid case. */
@Schema({ collection: 'service_requests', versionKey: false })
export class ServiceRequest {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  /** `grid-case:<caseId>` for a request opened from a grid case, `request:<_id>` otherwise; unique per community. */
  @Prop({ required: true }) sourceKey: string;
  @Prop({ type: String, enum: ServiceRequestOrigin, required: true }) origin: ServiceRequestOrigin;
  @Prop() caseId?: string;
  @Prop({ type: String, enum: ServiceRequestCategory, required: true }) category: ServiceRequestCategory;
  @Prop({ required: true }) description: string;
  @Prop({ type: Types.ObjectId }) unitId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) buildingId?: Types.ObjectId;
  @Prop() requesterPersonId?: string;
  @Prop({ type: Types.ObjectId }) companyId?: Types.ObjectId;
  @Prop({ type: String, enum: ServiceRequestStatus, required: true }) status: ServiceRequestStatus;
  /** Every step moves it on by one, in one update guarded by the status and version it was read at. */
  @Prop({ required: true }) version: number;
  @Prop() handler?: string;
  @Prop({ required: true }) openedAt: Date;
  @Prop({ required: true }) acceptBy: Date;
  @Prop({ required: true }) resolveBy: Date;
  @Prop() acceptedAt?: Date;
  @Prop() resolvedAt?: Date;
  @Prop() closedAt?: Date;
  @Prop({ type: MongooseSchema.Types.Mixed }) rating?: { score: number; comment?: string; ratedAt: Date };
  @Prop({ type: [MongooseSchema.Types.Mixed], required: true }) history: RequestStep[];
  /** Events of the steps not yet published: pushed by the same update as the step that causes them. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox?: EventEnvelope[];
}

export const ServiceRequestSchema = SchemaFactory.createForClass(ServiceRequest);
// One request per grid case: a redelivered event cannot open a second one.
ServiceRequestSchema.index({ communityId: 1, sourceKey: 1 }, { unique: true });
// Requests of a community by status, paginated by _id (the staff's list).
ServiceRequestSchema.index({ communityId: 1, status: 1, _id: 1 });
// A resident's own requests, paginated by _id (the resident's list).
ServiceRequestSchema.index({ communityId: 1, requesterPersonId: 1, _id: 1 });
// Requests of a company opened in a period (the company's evaluation).
ServiceRequestSchema.index({ communityId: 1, companyId: 1, openedAt: 1 });
