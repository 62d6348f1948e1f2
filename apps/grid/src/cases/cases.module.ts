import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { HierarchyModule } from '../hierarchy/hierarchy.module';
import { CaseEscalation } from './case-escalation.service';
import { CaseStep, CaseStepSchema } from './case-step.schema';
import { GridCase, GridCaseSchema } from './case.schema';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: GridCase.name, schema: GridCaseSchema },
      { name: CaseStep.name, schema: CaseStepSchema },
    ]),
    HierarchyModule,
  ],
  controllers: [CasesController],
  providers: [CasesRepository, CasesService, CaseEscalation],
  exports: [CasesService, CaseEscalation],
})
export class CasesModule {}
