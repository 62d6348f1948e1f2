import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import {
  AssigneeKind,
  CaseAction,
  CaseLocationKind,
  CaseRating,
  CaseStatus,
  CaseUrgency,
  EventEnvelope,
} from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';
import { CaseTally } from './case-tally';

export interface CaseActor {
  sub: string;
  personId?: string;
  name: string;
}

export interface CaseTransition {
  action: CaseAction;
  from: CaseStatus;
  to: CaseStatus;
  by: CaseActor;
  at: Date;
  /** The grid in charge when the step was taken: history keeps it when the building later moves. */
  gridId: Types.ObjectId;
  note?: string;
}

export interface CaseAssignee {
  kind: AssigneeKind;
  name: string;
  personId?: string;
}

export interface PendingExtension {
  workingDays: number;
  reason: string;
  requestedBy: CaseActor;
  requestedAt: Date;
}

/** A complaint or report (诉求) filed on a unit, building or common area, handled by the grid it lies in. */
@Schema({ collection: 'cases', versionKey: false })
export class GridCase {
  _id: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop() district?: string;
  /** A category code of the community's settings. */
  @Prop({ required: true }) category: string;
  /** The category's working days when the case was filed: a reopened case runs on them again. */
  @Prop() slaWorkingDays?: number;
  /** The department the category routed the case to, when not the grid alone. */
  @Prop() department?: string;
  @Prop({ type: String, enum: CaseUrgency, required: true }) urgency: CaseUrgency;
  @Prop({ required: true }) description: string;
  @Prop({ type: [String], default: [] }) photoUrls: string[];
  @Prop({ type: String, enum: CaseLocationKind, required: true }) locationKind: CaseLocationKind;
  @Prop({ type: Types.ObjectId }) unitId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) buildingId: Types.ObjectId;
  @Prop() place?: string;
  @Prop() latitude?: number;
  @Prop() longitude?: number;
  @Prop({ type: Types.ObjectId, required: true }) gridId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) areaId: Types.ObjectId;
  @Prop({ type: String, enum: CaseStatus, required: true }) status: CaseStatus;
  /** Bumped by every step: the condition of the next one. */
  @Prop({ required: true }) version: number;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) reporter: CaseActor;
  @Prop({ required: true }) reportedAt: Date;
  @Prop({ required: true }) signForDueAt: Date;
  @Prop({ required: true }) dueAt: Date;
  @Prop() acceptedAt?: Date;
  @Prop() resolvedAt?: Date;
  @Prop() closedAt?: Date;
  @Prop({ type: MongooseSchema.Types.Mixed }) assignee?: CaseAssignee;
  @Prop({ default: false }) arbitrated: boolean;
  @Prop({ default: 0 }) reopenCount: number;
  @Prop({ type: String, enum: CaseRating }) rating?: CaseRating;
  @Prop() ratingComment?: string;
  @Prop({ type: MongooseSchema.Types.Mixed }) pendingExtension?: PendingExtension;
  /** Index into grid → area → community → street. */
  @Prop({ default: 0 }) escalationLevel: number;
  /** The deadline runs past the working calendar's end, so holidays after it are not counted. */
  @Prop() deadlineProvisional?: boolean;
  /** When the escalation clock next acts on this case; absent once it is resolved or at the top. */
  @Prop() nextEscalationAt?: Date;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) tally: CaseTally;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) history: CaseTransition[];
  /** Events of the steps not yet published: pushed by the same update as the step that causes them. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

export type GridCaseDocument = HydratedDocument<GridCase>;
export const GridCaseSchema = SchemaFactory.createForClass(GridCase);
// The community's whole case list, paginated by _id.
GridCaseSchema.index({ communityId: 1, _id: 1 });
// The case list of a grid, optionally filtered by status (and category), paginated by _id.
GridCaseSchema.index({ communityId: 1, gridId: 1, status: 1, category: 1, _id: 1 });
// The community's case list filtered by status (and category), paginated by _id.
GridCaseSchema.index({ communityId: 1, status: 1, category: 1, _id: 1 });
// The community's case list filtered by category alone, paginated by _id.
GridCaseSchema.index({ communityId: 1, category: 1, _id: 1 });
// A reporter's own cases (optionally by status), paginated by _id.
GridCaseSchema.index({ communityId: 1, 'reporter.sub': 1, status: 1, _id: 1 });
// Statistics of a period: cases reported between two instants.
GridCaseSchema.index({ communityId: 1, reportedAt: 1 });
// Statistics of a grid's period, and the month's cases of a grid meeting's agenda.
GridCaseSchema.index({ communityId: 1, gridId: 1, reportedAt: 1 });
// Statistics of a residential area's period.
GridCaseSchema.index({ communityId: 1, areaId: 1, reportedAt: 1 });
// Trends: the cases closed in a period.
GridCaseSchema.index({ communityId: 1, closedAt: 1 });
// The escalation clock's sweep across communities (a system task, not a tenant query): open cases now due.
GridCaseSchema.index({ nextEscalationAt: 1 });
// Staff filters: a building's cases, an assignee's, the overdue ones.
GridCaseSchema.index({ communityId: 1, buildingId: 1, _id: 1 });
GridCaseSchema.index({ communityId: 1, 'assignee.personId': 1, _id: 1 });
GridCaseSchema.index({ communityId: 1, status: 1, dueAt: 1 });
