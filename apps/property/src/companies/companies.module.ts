import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import {
  PropertyCompany,
  PropertyCompanySchema,
  ServiceContract,
  ServiceContractSchema,
  ServiceProgramme,
  ServiceProgrammeSchema,
} from './company.schema';
import { CompaniesController } from './companies.controller';
import { CompaniesRepository } from './companies.repository';
import { CompaniesService } from './companies.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: PropertyCompany.name, schema: PropertyCompanySchema },
      { name: ServiceContract.name, schema: ServiceContractSchema },
      { name: ServiceProgramme.name, schema: ServiceProgrammeSchema },
    ]),
  ],
  controllers: [CompaniesController],
  providers: [CompaniesRepository, CompaniesService],
  exports: [CompaniesService],
})
export class CompaniesModule {}
