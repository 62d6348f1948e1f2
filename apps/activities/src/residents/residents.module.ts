import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LockingModule } from '@cg/persistence';
import { ResidencyRepository } from './residency.repository';
import { Residency, ResidencySchema } from './residency.schema';
import { ResidencyService } from './residency.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: Residency.name, schema: ResidencySchema }]), LockingModule],
  providers: [ResidencyRepository, ResidencyService],
  exports: [ResidencyService],
})
export class ResidentsModule {}
