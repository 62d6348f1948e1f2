import { DeliberationBody, Role } from '@cg/contracts';
import { actingBody, reachesThreshold } from './take-up';

describe('taking a topic up', () => {
  it('needs the supports to reach the threshold: one short is not enough, exactly the threshold is', () => {
    expect(reachesThreshold(19, 20)).toBe(false);
    expect(reachesThreshold(20, 20)).toBe(true);
    expect(reachesThreshold(21, 20)).toBe(true);
    expect(reachesThreshold(0, 1)).toBe(false);
    expect(reachesThreshold(1, 1)).toBe(true);
  });

  it("lets community staff act for the residents' committee and members for the owners' committee", () => {
    expect(actingBody([Role.CommunityStaff])).toEqual({ body: DeliberationBody.ResidentsCommittee });
    expect(actingBody([Role.DistrictAdmin])).toEqual({ body: DeliberationBody.ResidentsCommittee });
    expect(actingBody([Role.Owner, Role.OwnersCommitteeMember])).toEqual({
      body: DeliberationBody.OwnersCommittee,
    });
  });

  it('refuses a body the caller does not sit on, and asks which when they sit on both', () => {
    expect(actingBody([Role.Resident, Role.Owner])).toEqual({ refused: 'not_a_member' });
    expect(actingBody([Role.CommunityStaff], DeliberationBody.OwnersCommittee)).toEqual({
      refused: 'not_a_member',
    });
    const both = [Role.CommunityStaff, Role.OwnersCommitteeMember];
    expect(actingBody(both)).toEqual({ refused: 'ambiguous' });
    expect(actingBody(both, DeliberationBody.OwnersCommittee)).toEqual({
      body: DeliberationBody.OwnersCommittee,
    });
  });
});
