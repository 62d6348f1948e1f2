import { ResidencyModule } from '@cg/residency';

export const RESIDENTS_CONSUMER = 'grid-residents';
export const RESIDENT_MOVES_CONSUMER = 'grid-resident-moves';

/** Who lives in which building: resident counts, building moves and the residence answer read it. */
export const GridResidencyModule = ResidencyModule.register({
  collection: 'residencies',
  durables: { registrations: RESIDENTS_CONSUMER, moves: RESIDENT_MOVES_CONSUMER },
  keepNames: true,
  // Resident counts per building of a community.
  indexes: [{ communityId: 1, buildingId: 1 }],
});
