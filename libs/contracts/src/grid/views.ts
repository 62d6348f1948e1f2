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
  @ApiPropertyOptional() phone?: string;
  @ApiPropertyOptional() department?: string;
  @ApiProperty() since: string;
}

export class ResidenceView {
  @ApiProperty({ type: UnitView }) unit: UnitView;
  @ApiProperty({ type: NodeView }) building: NodeView;
  @ApiProperty({ type: NodeView }) grid: NodeView;
  @ApiProperty({ type: NodeView }) area: NodeView;
  @ApiProperty({ type: [StaffView], description: 'Who is responsible for the grid and building today' })
  staff: StaffView[];
}
