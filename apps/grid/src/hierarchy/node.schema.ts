import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { EventEnvelope, NodeKind } from '@cg/contracts';
import { HydratedDocument, Schema as MongooseSchema, Types } from 'mongoose';

/**
 * A building's move to another grid, kept on the building from the update that moves it (with its event) until its
 * units and residents follow: the one step here that spans many documents, finished by the stalled-move sweep.
 */
export interface PendingMove {
  fromGridId: Types.ObjectId;
  fromAreaId: Types.ObjectId;
  toGridId: Types.ObjectId;
  toAreaId: Types.ObjectId;
  at: Date;
}

/** A community's import in progress: at most one at a time, taken by one conditional update. */
export interface RunningImport {
  importId: string;
  startedAt: Date;
}

/** One node of the hierarchy: a community, residential area, grid, building or unit. */
@Schema({ collection: 'nodes', timestamps: true, versionKey: false })
export class HierarchyNode {
  _id: Types.ObjectId;

  /** For a community, its own id. */
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: String, enum: NodeKind, required: true }) kind: NodeKind;
  /** Parent id, or `district/street` for a community: codes are unique within it. */
  @Prop({ required: true }) parentKey: string;
  @Prop({ required: true }) code: string;
  @Prop({ required: true }) name: string;
  @Prop({ type: Types.ObjectId }) parentId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) areaId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) gridId?: Types.ObjectId;
  @Prop({ type: Types.ObjectId }) buildingId?: Types.ObjectId;
  @Prop() buildingCode?: string;
  @Prop() district?: string;
  @Prop() street?: string;
  @Prop() floors?: number;
  @Prop() unitsPerFloor?: number;
  @Prop() floor?: number;
  /** Buildings imported one row per unit: the units the building has (floors × units per floor otherwise). */
  @Prop() unitCount?: number;
  /** The import run that wrote this node: a run that never finished is undone by it. */
  @Prop() importId?: string;
  /** A building whose units and residents are still to follow its move. */
  @Prop({ type: MongooseSchema.Types.Mixed }) moving?: PendingMove;
  /** A community being imported into. */
  @Prop({ type: MongooseSchema.Types.Mixed }) importing?: RunningImport;
  /** Events not yet published (a building's move): pushed by the same update as the change. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: undefined }) outbox?: EventEnvelope[];
}

export type HierarchyNodeDocument = HydratedDocument<HierarchyNode>;
export const HierarchyNodeSchema = SchemaFactory.createForClass(HierarchyNode);
// Code unique in its parent; also serves "find child by code".
HierarchyNodeSchema.index({ parentKey: 1, code: 1 }, { unique: true });
// Children of a kind in a community: areas, grids and buildings for the hierarchy view.
HierarchyNodeSchema.index({ communityId: 1, kind: 1, parentId: 1 });
// The communities list, paginated by _id (across communities: the district's view).
HierarchyNodeSchema.index({ kind: 1, _id: 1 });
// The community's nodes of some kinds (the hierarchy view and an import's comparison), and its units paginated by _id.
HierarchyNodeSchema.index({ communityId: 1, kind: 1, _id: 1 });
// Units of a building, paginated by _id.
HierarchyNodeSchema.index({ communityId: 1, buildingId: 1, _id: 1 });
// Nodes written by one import run, to undo a run that never finished.
HierarchyNodeSchema.index({ communityId: 1, importId: 1 });
// The stalled-move sweep across communities (a system task, not a tenant query): buildings whose move is unfinished.
HierarchyNodeSchema.index({ 'moving.at': 1 });
