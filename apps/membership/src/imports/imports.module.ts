import { Module } from '@nestjs/common';
import { OwnershipModule } from '../ownership/ownership.module';
import { ResidentsModule } from '../residents/residents.module';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

@Module({
  imports: [ResidentsModule, OwnershipModule],
  controllers: [ImportsController],
  providers: [ImportsService],
})
export class ImportsModule {}
