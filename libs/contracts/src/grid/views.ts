import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GridPosition, NodeKind } from './dto';

export class NodeView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ enum: NodeKind }) kind: NodeKind;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiPropertyOptional() parentId?: string;
  @ApiPropertyOptional({ description: 'Buildings only' }) floors?: number;
  @ApiPropertyOptional({ description: 'Buildings only' }) unitsPerFloor?: number;
}

export class CommunityView extends NodeView {
  @ApiProperty() district: string;
  @ApiProperty() street: string;
}

export class CommunityPage {
  @ApiProperty({ type: [CommunityView] }) items: CommunityView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class BuildingSummary {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() floors: number;
  @ApiProperty() unitCount: number;
  @ApiProperty({ description: 'Registered residents, from membership events' }) residentCount: number;
}

export class GridSummary {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [BuildingSummary] }) buildings: BuildingSummary[];
}

export class AreaSummary {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [GridSummary] }) grids: GridSummary[];
}

export class HierarchyView {
  @ApiProperty({ type: CommunityView }) community: CommunityView;
  @ApiProperty({ type: [AreaSummary] }) areas: AreaSummary[];
}

export class UnitView {
  @ApiProperty() id: string;
  @ApiProperty() communityId: string;
  @ApiProperty({ example: '1203' }) code: string;
  @ApiProperty() floor: number;
  @ApiProperty() buildingId: string;
  @ApiProperty() buildingCode: string;
  @ApiProperty() gridId: string;
  @ApiProperty() areaId: string;
}

export class UnitPage {
  @ApiProperty({ type: [UnitView] }) items: UnitView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class BulkCreateBuildingsResult {
  @ApiProperty() buildingsCreated: number;
  @ApiProperty() unitsCreated: number;
  @ApiProperty({ type: [NodeView] }) buildings: NodeView[];
}

export class StaffView {
  @ApiProperty() id: string;
  @ApiProperty() nodeId: string;
  @ApiProperty({ enum: GridPosition }) position: GridPosition;
  @ApiProperty() name: string;
  @ApiPropertyOptional() personId?: string;
  @ApiPropertyOptional() accountId?: string;
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional() department?: string;
  @ApiProperty() since: string;
  @ApiPropertyOptional({ description: 'The first instant the person no longer holds the position; absent while open-ended' })
  until?: string;
  @ApiPropertyOptional({ enum: NodeKind, description: 'The kind of node the position is held at' })
  nodeKind?: NodeKind;
}

export class ResidenceView {
  @ApiProperty({ type: UnitView }) unit: UnitView;
  @ApiProperty({ type: NodeView }) building: NodeView;
  @ApiProperty({ type: NodeView }) grid: NodeView;
  @ApiProperty({ type: NodeView }) area: NodeView;
  @ApiProperty({ type: [StaffView], description: 'Who is responsible for the grid and building today' })
  staff: StaffView[];
}

export class StaffPage {
  @ApiProperty({ type: [StaffView] }) items: StaffView[];
  @ApiPropertyOptional() nextCursor?: string;
}

export class ResponsibleView {
  @ApiProperty({ description: 'The instant the answer holds for' }) at: string;
  @ApiProperty({ type: NodeView }) building: NodeView;
  @ApiProperty({ type: NodeView }) grid: NodeView;
  @ApiProperty({ type: NodeView }) area: NodeView;
  @ApiProperty({
    type: [StaffView],
    description: 'Building leader and party group leader, and the staff of its grid and residential area, by position rank',
  })
  staff: StaffView[];
}

/** One bad row of an imported file. */
export class ImportProblem {
  @ApiProperty({ example: 7, description: 'Line of the file the row starts on (the header is line 1)' }) line: number;
  @ApiProperty({ example: 'floors' }) field: string;
  @ApiProperty({ example: 'must be a whole number from 1 to 80' }) reason: string;
}

export class ImportReport {
  @ApiProperty({ enum: ['buildings', 'units'], description: 'One row per building, or one row per unit' })
  format: 'buildings' | 'units';
  @ApiProperty({ description: 'Data rows read' }) rows: number;
  @ApiProperty() areasCreated: number;
  @ApiProperty() gridsCreated: number;
  @ApiProperty() buildingsCreated: number;
  @ApiProperty() unitsCreated: number;
  @ApiProperty({ description: 'Buildings already there exactly as in the file' }) buildingsUnchanged: number;
  @ApiProperty({ description: 'True when nothing was written on purpose' }) dryRun: boolean;
}

export class BuildingMoveView {
  @ApiProperty() buildingId: string;
  @ApiProperty() fromGridId: string;
  @ApiProperty() toGridId: string;
  @ApiProperty() fromAreaId: string;
  @ApiProperty() toAreaId: string;
  @ApiProperty() unitsMoved: number;
  @ApiProperty({ description: 'Residents of the building whose grid changed in the read model' }) residentsMoved: number;
  @ApiProperty() movedAt: string;
}
