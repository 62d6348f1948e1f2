import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode, Principal, ResidentView, Role } from '@cg/contracts';
import { ResidentsService } from '../residents/residents.service';

/** This service reading its own resident records for owners, volunteers and members, whoever asked. */
const MEMBERSHIP: Principal = {
  sub: 'service:membership',
  name: 'membership',
  roles: [Role.System],
  communityIds: [],
};

@Injectable()
export class PeopleDirectory {
  constructor(private readonly residents: ResidentsService) {}

  /** The resident record of a person in a community, or undefined when membership knows no such person. */
  async find(communityId: string, personId: string): Promise<ResidentView | undefined> {
    try {
      return await this.residents.get(MEMBERSHIP, communityId, personId);
    } catch (error) {
      if (error instanceof DomainException && error.code === ErrorCode.RESIDENT_NOT_FOUND) return undefined;
      throw error;
    }
  }

  async require(communityId: string, personId: string, field: string): Promise<ResidentView> {
    const person = await this.find(communityId, personId);
    if (!person) {
      throw new DomainException(ErrorCode.RESIDENT_NOT_FOUND, `No resident ${personId} in this community`, [
        { field, reason: `${personId} is not a registered resident of this community` },
      ]);
    }
    return person;
  }
}
