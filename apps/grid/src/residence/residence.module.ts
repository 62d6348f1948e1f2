import { Module } from '@nestjs/common';
import { HierarchyModule } from '../hierarchy/hierarchy.module';
import { ResidenceController } from './residence.controller';
import { ResidenceService } from './residence.service';

@Module({
  imports: [HierarchyModule],
  controllers: [ResidenceController],
  providers: [ResidenceService],
})
export class ResidenceModule {}
