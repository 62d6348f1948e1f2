import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MongooseModule } from '@nestjs/mongoose';
import { Resident, ResidentSchema } from './resident.schema';
import { ResidentsController } from './residents.controller';
import { ResidentsRepository } from './residents.repository';
import { ResidentsService } from './residents.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: Resident.name, schema: ResidentSchema }]), AccountsModule],
  controllers: [ResidentsController],
  providers: [ResidentsRepository, ResidentsService],
  exports: [ResidentsService],
})
export class ResidentsModule {}
