import type { TallyResultView } from '@cg/contracts';

export interface ElectedMember {
  candidateId: string;
  personId: string;
  name: string;
  /** Owners who voted for the member, and their area. */
  owners: number;
  area: string;
}

export type ElectionOutcome =
  | { seated: true; elected: ElectedMember[]; seatsEmpty: number }
  | { seated: false; reason: 'not_an_election_ballot' | 'no_quorum' | 'not_carried'; message: string };

/**
 * Who a sealed election ballot seats: the candidates its count elected, in the order their seats were filled. A ballot
 * that missed the quorum, or whose outcome is not carried (no candidate won both majorities), seats nobody.
 */
export function electedMembers(result: Pick<TallyResultView, 'outcome' | 'seats'>): ElectionOutcome {
  if (!result.seats) {
    return { seated: false, reason: 'not_an_election_ballot', message: 'This ballot was not counted candidate by candidate' };
  }
  if (result.outcome === 'no_quorum') {
    return { seated: false, reason: 'no_quorum', message: 'The election ballot did not reach the quorum of two thirds of area and owners' };
  }
  if (result.outcome !== 'carried' || result.seats.seatsFilled === 0) {
    return {
      seated: false,
      reason: 'not_carried',
      message: 'No candidate won more than half of the participating area and of the participating owners: every seat is empty',
    };
  }
  const byId = new Map(result.seats.candidates.map((c) => [c.candidateId, c]));
  const elected = result.seats.elected.map((id) => {
    const c = byId.get(id)!;
    return { candidateId: id, personId: c.personId, name: c.name, owners: c.for.owners, area: c.for.area };
  });
  return { seated: true, elected, seatsEmpty: result.seats.seatsEmpty };
}
