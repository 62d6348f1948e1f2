import { DynamicModule, Module } from '@nestjs/common';
import { AuthModule } from '@cg/auth';
import { MessagingModule } from '@cg/messaging';
import { ObservabilityModule, ServiceConfig } from '@cg/observability';
import { PersistenceModule } from '@cg/persistence';
import { BallotsModule } from './ballots/ballots.module';
import { CommitteeModule } from './committee/committee.module';
import { CompaniesModule } from './companies/companies.module';
import { ConsultationsModule } from './consultations/consultations.module';
import { DeliberationModule } from './deliberation/deliberation.module';
import { ElectionsModule } from './elections/elections.module';
import { OwnerRegisterModule } from './owners/owner-register.module';
import { ResidencesModule } from './residences/residences.module';
import { SatisfactionModule } from './satisfaction/satisfaction.module';
import { ServiceRequestsModule } from './service-requests/service-requests.module';

/** The property service: owner register, assembly ballots, the property company and its service, expert consultations, committee elections. */
@Module({})
export class PropertyAppModule {
  static register(config: ServiceConfig): DynamicModule {
    return {
      module: PropertyAppModule,
      imports: [
        ObservabilityModule.forRoot(config),
        AuthModule.forRoot(config),
        MessagingModule,
        PersistenceModule.forRoot(config),
        OwnerRegisterModule,
        BallotsModule,
        ResidencesModule,
        CompaniesModule,
        ServiceRequestsModule,
        SatisfactionModule,
        ConsultationsModule,
        ElectionsModule,
        CommitteeModule,
        DeliberationModule,
      ],
    };
  }
}
