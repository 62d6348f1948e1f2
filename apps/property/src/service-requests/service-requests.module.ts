import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { CompaniesModule } from '../companies/companies.module';
import { ResidencesModule } from '../residences/residences.module';
import { ServiceRequest, ServiceRequestSchema } from './service-request.schema';
import { ServiceRequestsController } from './service-requests.controller';
import { ServiceRequestsRepository } from './service-requests.repository';
import { ServiceRequestsService } from './service-requests.service';

@Module({
  imports: [
    MongooseModule.forFeature([{ name: ServiceRequest.name, schema: ServiceRequestSchema }]),
    OutboxModule.forFeature([ServiceRequest.name]),
    CompaniesModule,
    ResidencesModule,
  ],
  controllers: [ServiceRequestsController],
  providers: [ServiceRequestsRepository, ServiceRequestsService],
  exports: [ServiceRequestsRepository],
})
export class ServiceRequestsModule {}
