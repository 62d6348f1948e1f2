import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { HierarchyController } from './hierarchy.controller';
import { HierarchyRepository } from './hierarchy.repository';
import { HierarchyService } from './hierarchy.service';
import { HierarchyNode, HierarchyNodeSchema } from './node.schema';
import { ResidencyRepository } from './residency.repository';
import { Residency, ResidencySchema } from './residency.schema';
import { StaffAssignment, StaffAssignmentSchema } from './staff.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: HierarchyNode.name, schema: HierarchyNodeSchema },
      { name: StaffAssignment.name, schema: StaffAssignmentSchema },
      { name: Residency.name, schema: ResidencySchema },
    ]),
  ],
  controllers: [HierarchyController],
  providers: [HierarchyRepository, ResidencyRepository, HierarchyService],
  exports: [HierarchyRepository, ResidencyRepository, HierarchyService],
})
export class HierarchyModule {}
