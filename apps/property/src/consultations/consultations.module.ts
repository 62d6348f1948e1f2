import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Consultation, ConsultationSchema, PartnerSlot, PartnerSlotSchema } from './consultation.schema';
import { StepClaimsModule } from '../step-claims/step-claims.module';
import { ConsultationsController } from './consultations.controller';
import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Consultation.name, schema: ConsultationSchema },
      { name: PartnerSlot.name, schema: PartnerSlotSchema },
    ]),
    StepClaimsModule,
  ],
  controllers: [ConsultationsController],
  providers: [ConsultationsRepository, ConsultationsService],
})
export class ConsultationsModule {}
