import { Injectable } from '@nestjs/common';
import { Residency, ResidencyRepository } from '@cg/residency';
import { Types } from 'mongoose';

export const RESIDENTS_CONSUMER = 'activities-residents';
export const RESIDENT_MOVES_CONSUMER = 'activities-resident-moves';

/** Where each resident lives, from membership's events; audiences and boards read it. */
@Injectable()
export class ResidencyService {
  constructor(private readonly residencies: ResidencyRepository) {}

  /** Where the person lives in this community, when membership has told us. */
  find(communityId: string, personId: string): Promise<Residency | null> {
    if (!Types.ObjectId.isValid(personId)) return Promise.resolve(null);
    return this.residencies.findInCommunity(new Types.ObjectId(communityId), new Types.ObjectId(personId));
  }
}
