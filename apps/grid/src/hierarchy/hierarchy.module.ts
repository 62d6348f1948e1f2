import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LockingModule } from '@cg/persistence';
import { BuildingMove, BuildingMoveSchema } from './building-move.schema';
import { BuildingMovesController } from './building-moves.controller';
import { BuildingMovesRepository } from './building-moves.repository';
import { BuildingMovesService } from './building-moves.service';
import { HierarchyController } from './hierarchy.controller';
import { HierarchyRepository } from './hierarchy.repository';
import { HierarchyService } from './hierarchy.service';
import { HierarchyNode, HierarchyNodeSchema } from './node.schema';
import { GridResidencyModule } from './residency.module';
import { StaffEnd, StaffEndSchema } from './staff-end.schema';
import { StaffController } from './staff.controller';
import { StaffService } from './staff.service';
import { StaffAssignment, StaffAssignmentSchema } from './staff.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: HierarchyNode.name, schema: HierarchyNodeSchema },
      { name: StaffAssignment.name, schema: StaffAssignmentSchema },
      { name: StaffEnd.name, schema: StaffEndSchema },
      { name: BuildingMove.name, schema: BuildingMoveSchema },
    ]),
    LockingModule,
    GridResidencyModule,
  ],
  controllers: [HierarchyController, StaffController, BuildingMovesController],
  providers: [
    HierarchyRepository,
    HierarchyService,
    StaffService,
    BuildingMovesRepository,
    BuildingMovesService,
  ],
  exports: [HierarchyRepository, GridResidencyModule, HierarchyService],
})
export class HierarchyModule {}
