import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LockingModule } from '@cg/persistence';
import { AccountsModule } from '../accounts/accounts.module';
import {
  BuildingGrid,
  BuildingGridSchema,
  CurrentResidence,
  CurrentResidenceSchema,
  ResidenceChange,
  ResidenceChangeSchema,
} from './residence.schema';
import { Resident, ResidentSchema } from './resident.schema';
import { ResidencesRepository } from './residences.repository';
import { ResidencesService } from './residences.service';
import { ResidentsController } from './residents.controller';
import { ResidentsRepository } from './residents.repository';
import { ResidentsService } from './residents.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Resident.name, schema: ResidentSchema },
      { name: ResidenceChange.name, schema: ResidenceChangeSchema },
      { name: CurrentResidence.name, schema: CurrentResidenceSchema },
      { name: BuildingGrid.name, schema: BuildingGridSchema },
    ]),
    AccountsModule,
    LockingModule,
  ],
  controllers: [ResidentsController],
  providers: [ResidentsRepository, ResidentsService, ResidencesRepository, ResidencesService],
  exports: [ResidentsService, ResidencesService],
})
export class ResidentsModule {}
