import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { AccountsModule } from '../accounts/accounts.module';
import { BuildingGrid, BuildingGridSchema, Residence, ResidenceSchema } from './residence.schema';
import { Resident, ResidentSchema } from './resident.schema';
import { ResidencesRepository } from './residences.repository';
import { ResidencesService } from './residences.service';
import { ResidentsController } from './residents.controller';
import { ResidentsRepository } from './residents.repository';
import { ResidentsService } from './residents.service';

const models = MongooseModule.forFeature([
  { name: Resident.name, schema: ResidentSchema },
  { name: Residence.name, schema: ResidenceSchema },
  { name: BuildingGrid.name, schema: BuildingGridSchema },
]);

@Module({
  imports: [models, OutboxModule.forFeature([Resident.name, Residence.name]), AccountsModule],
  controllers: [ResidentsController],
  providers: [ResidentsRepository, ResidentsService, ResidencesRepository, ResidencesService],
  exports: [ResidentsService, ResidencesService],
})
export class ResidentsModule {}
