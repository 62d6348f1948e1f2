import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Residence, ResidenceSchema } from './residence.schema';
import { ResidencesRepository } from './residences.repository';
import { ResidencesService } from './residences.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: Residence.name, schema: ResidenceSchema }])],
  providers: [ResidencesRepository, ResidencesService],
  exports: [ResidencesRepository],
})
export class ResidencesModule {}
