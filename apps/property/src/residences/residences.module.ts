import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LockingModule } from '@cg/persistence';
import { Residence, ResidenceSchema } from './residence.schema';
import { ResidencesRepository } from './residences.repository';
import { ResidencesService } from './residences.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: Residence.name, schema: ResidenceSchema }]), LockingModule],
  providers: [ResidencesRepository, ResidencesService],
  exports: [ResidencesRepository],
})
export class ResidencesModule {}
