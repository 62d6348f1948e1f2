import { BodyKind, PartyMemberStatus, Role } from '@cg/contracts';
import { rolesFor } from './derived-roles';

const none = { volunteer: false, partner: false, bodiesToday: [] };

describe('roles carried by a token', () => {
  it('keeps the roles given to the account when the person has no other records', () => {
    expect(rolesFor([Role.Resident, Role.Owner], none)).toEqual([Role.Resident, Role.Owner]);
  });

  it('adds party member, volunteer, partner and owners committee member from the records', () => {
    const roles = rolesFor([Role.Resident], {
      partyMember: { status: PartyMemberStatus.Retired },
      volunteer: true,
      partner: true,
      bodiesToday: [BodyKind.SchoolFamilyCommittee, BodyKind.OwnersCommittee],
    });
    expect(roles.sort()).toEqual(
      [Role.Resident, Role.PartyMember, Role.Volunteer, Role.Partner, Role.OwnersCommitteeMember].sort(),
    );
  });

  it('does not make a member of another body an owners committee member, and never grants the system role', () => {
    expect(rolesFor([Role.Resident, Role.System], { ...none, bodiesToday: [BodyKind.ResidentsCommittee] })).toEqual([
      Role.Resident,
    ]);
  });
});
