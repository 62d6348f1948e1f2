import { Module } from '@nestjs/common';
import { LockingModule } from '@cg/persistence';
import { HierarchyModule } from '../hierarchy/hierarchy.module';
import { ResidenceController } from './residence.controller';
import { ResidenceService } from './residence.service';

@Module({
  imports: [HierarchyModule, LockingModule],
  controllers: [ResidenceController],
  providers: [ResidenceService],
})
export class ResidenceModule {}
