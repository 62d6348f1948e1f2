import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { HierarchyModule } from '../hierarchy/hierarchy.module';
import { ImportRun, ImportRunSchema } from './import-run.schema';
import { ImportsController } from './imports.controller';
import { ImportRunsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: ImportRun.name, schema: ImportRunSchema }]), HierarchyModule],
  controllers: [ImportsController],
  providers: [ImportRunsRepository, ImportsService],
})
export class ImportsModule {}
