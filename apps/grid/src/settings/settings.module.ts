import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { GridCase, GridCaseSchema } from '../cases/case.schema';
import { HierarchyModule } from '../hierarchy/hierarchy.module';
import { SettingsController } from './settings.controller';
import { SettingsRepository } from './settings.repository';
import { SettingsService } from './settings.service';
import { CommunitySettings, CommunitySettingsSchema } from './settings.schema';

const models = MongooseModule.forFeature([
  { name: CommunitySettings.name, schema: CommunitySettingsSchema },
  { name: GridCase.name, schema: GridCaseSchema },
]);

@Module({
  imports: [models, OutboxModule.forFeature([CommunitySettings.name]), HierarchyModule],
  controllers: [SettingsController],
  providers: [SettingsRepository, SettingsService],
  exports: [SettingsService],
})
export class SettingsModule {}
