import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { CalendarsModule } from '../calendars/calendars.module';
import { HierarchyModule } from '../hierarchy/hierarchy.module';
import { SettingsModule } from '../settings/settings.module';
import { CaseEscalation } from './case-escalation.service';
import { CaseTrendsService } from './case-trends.service';
import { GridCase, GridCaseSchema } from './case.schema';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';
import { PropertyResolutionsService } from './property-resolutions.service';

const models = MongooseModule.forFeature([{ name: GridCase.name, schema: GridCaseSchema }]);

@Module({
  imports: [models, OutboxModule.forFeature([GridCase.name]), HierarchyModule, CalendarsModule, SettingsModule],
  controllers: [CasesController],
  providers: [CasesRepository, CasesService, CaseEscalation, CaseTrendsService, PropertyResolutionsService],
  exports: [CasesService, CaseEscalation],
})
export class CasesModule {}
