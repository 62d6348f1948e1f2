import { Module } from '@nestjs/common';
import { ResidencyModule } from '@cg/residency';
import { RESIDENTS_CONSUMER, RESIDENT_MOVES_CONSUMER, ResidencyService } from './residency.service';

@Module({
  imports: [
    ResidencyModule.register({
      collection: 'residencies',
      durables: { registrations: RESIDENTS_CONSUMER, moves: RESIDENT_MOVES_CONSUMER },
      keepNames: true,
      // A resident's residence in a community (audience checks, micro-wish grid).
      indexes: [{ communityId: 1, _id: 1 }],
    }),
  ],
  providers: [ResidencyService],
  exports: [ResidencyService],
})
export class ResidentsModule {}
