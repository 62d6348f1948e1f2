import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { Consultation, ConsultationSchema } from './consultation.schema';
import { ConsultationsController } from './consultations.controller';
import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';

const models = MongooseModule.forFeature([{ name: Consultation.name, schema: ConsultationSchema }]);

@Module({
  imports: [
    models,
    OutboxModule.forFeature([Consultation.name]),
  ],
  controllers: [ConsultationsController],
  providers: [ConsultationsRepository, ConsultationsService],
})
export class ConsultationsModule {}
