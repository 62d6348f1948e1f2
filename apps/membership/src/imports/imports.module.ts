import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OwnershipModule } from '../ownership/ownership.module';
import { ResidentsModule } from '../residents/residents.module';
import { ImportJob, ImportJobSchema } from './import-job.schema';
import { ImportJobsRepository } from './import-jobs.repository';
import { ImportJobsService } from './import-jobs.service';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: ImportJob.name, schema: ImportJobSchema }]),
    ResidentsModule,
    OwnershipModule,
  ],
  controllers: [ImportsController],
  providers: [ImportsService, ImportJobsRepository, ImportJobsService],
  exports: [ImportJobsService],
})
export class ImportsModule {}
