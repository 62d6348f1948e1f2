import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { NodeKind } from '@cg/contracts';
import { HydratedDocument, Types } from 'mongoose';

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
}

export type HierarchyNodeDocument = HydratedDocument<HierarchyNode>;
export const HierarchyNodeSchema = SchemaFactory.createForClass(HierarchyNode);
// Code unique in its parent; also serves "find child by code".
HierarchyNodeSchema.index({ parentKey: 1, code: 1 }, { unique: true });
// Children of a kind in a community: areas, grids and buildings for the hierarchy view.
HierarchyNodeSchema.index({ communityId: 1, kind: 1, parentId: 1 });
// Units of a building, paginated by _id.
HierarchyNodeSchema.index({ communityId: 1, buildingId: 1, _id: 1 });
// Nodes written by one import run, to undo a run that never finished.
HierarchyNodeSchema.index({ communityId: 1, importId: 1 });
