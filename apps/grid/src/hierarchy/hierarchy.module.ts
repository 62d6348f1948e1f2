import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { BuildingMovesController } from './building-moves.controller';
import { BuildingMovesService } from './building-moves.service';
import { HierarchyController } from './hierarchy.controller';
import { HierarchyRepository } from './hierarchy.repository';
import { HierarchyService } from './hierarchy.service';
import { HierarchyNode, HierarchyNodeSchema } from './node.schema';
import { GridResidencyModule } from './residency.module';
import { StaffController } from './staff.controller';
import { StaffService } from './staff.service';
import { StaffAssignment, StaffAssignmentSchema } from './staff.schema';

const models = MongooseModule.forFeature([
  { name: HierarchyNode.name, schema: HierarchyNodeSchema },
  { name: StaffAssignment.name, schema: StaffAssignmentSchema },
]);

@Module({
  imports: [
    models,
    OutboxModule.forFeature([HierarchyNode.name, StaffAssignment.name]),
    GridResidencyModule,
  ],
  controllers: [HierarchyController, StaffController, BuildingMovesController],
  providers: [HierarchyRepository, HierarchyService, StaffService, BuildingMovesService],
  exports: [HierarchyRepository, GridResidencyModule, HierarchyService],
})
export class HierarchyModule {}
