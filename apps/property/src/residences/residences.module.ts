import { Module } from '@nestjs/common';
import { ResidencyModule } from '@cg/residency';

export const RESIDENCES_CONSUMER = 'property-residences';
export const RESIDENCE_MOVES_CONSUMER = 'property-resident-moves';

/** Where residents live, for service requests, surveys by building and the candidates' residence check. */
const residencies = ResidencyModule.register({
  collection: 'residences',
  durables: { registrations: RESIDENCES_CONSUMER, moves: RESIDENCE_MOVES_CONSUMER },
  keepNames: false,
});

@Module({ imports: [residencies], exports: [residencies] })
export class ResidencesModule {}
