import type { CandidateTallyView, TallyResultView } from '@cg/contracts';
import { electedMembers } from './elected';

const candidate = (name: string, owners: number, area: string, verdict: CandidateTallyView['verdict']): CandidateTallyView => ({
  candidateId: `c-${name}`,
  personId: `p-${name}`,
  name,
  for: { owners, area },
  against: { owners: 0, area: '0.00' },
  abstain: { owners: 0, area: '0.00' },
  tests: [],
  verdict,
});

const result = (outcome: TallyResultView['outcome'], elected: string[], candidates: CandidateTallyView[], seats = 5) => ({
  outcome,
  seats: { seats, seatsFilled: elected.length, seatsEmpty: seats - elected.length, elected, candidates },
});

describe('who a sealed election ballot seats', () => {
  it('seats nobody from a ballot that missed the quorum', () => {
    expect(electedMembers(result('no_quorum', [], [candidate('Chen', 9, '900.00', 'no_quorum')]))).toMatchObject({
      seated: false,
      reason: 'no_quorum',
    });
  });

  it('seats nobody from a ballot whose outcome is not carried', () => {
    expect(electedMembers(result('not_carried', [], [candidate('Chen', 2, '270.00', 'neither_over_half')]))).toMatchObject({
      seated: false,
      reason: 'not_carried',
    });
  });

  it('seats the elected in the order their seats were filled, with the votes they got, and counts the empty seats', () => {
    const outcome = electedMembers(
      result('carried', ['c-Gao', 'c-Chen'], [candidate('Chen', 7, '700.00', 'elected'), candidate('Gao', 9, '800.00', 'elected'), candidate('He', 3, '200.00', 'neither_over_half')]),
    );
    expect(outcome).toEqual({
      seated: true,
      seatsEmpty: 3,
      elected: [
        { candidateId: 'c-Gao', personId: 'p-Gao', name: 'Gao', owners: 9, area: '800.00' },
        { candidateId: 'c-Chen', personId: 'p-Chen', name: 'Chen', owners: 7, area: '700.00' },
      ],
    });
  });

  it('refuses a ballot that was not counted candidate by candidate', () => {
    expect(electedMembers({ outcome: 'carried' })).toMatchObject({ seated: false, reason: 'not_an_election_ballot' });
  });
});
