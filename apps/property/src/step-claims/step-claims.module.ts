import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { StepClaim, StepClaimSchema } from './step-claim.schema';
import { StepClaimsRepository } from './step-claims.repository';

@Module({
  imports: [MongooseModule.forFeature([{ name: StepClaim.name, schema: StepClaimSchema }])],
  providers: [StepClaimsRepository],
  exports: [StepClaimsRepository],
})
export class StepClaimsModule {}
