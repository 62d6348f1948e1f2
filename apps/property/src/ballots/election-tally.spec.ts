import { CandidateChoice } from '@cg/contracts';
import { electionTally } from './election-tally';

const { For, Against, Abstain } = CandidateChoice;
const candidates = ['a', 'b', 'c'].map((id) => ({ candidateId: id, personId: `p-${id}`, name: id.toUpperCase() }));
// Six owners of 100 m² each.
const electorate = ['o1', 'o2', 'o3', 'o4', 'o5', 'o6'].map((ownerKey) => ({ ownerKey, areaHundredths: 10_000n }));
const vote = (ownerKey: string, a: CandidateChoice, b: CandidateChoice, c: CandidateChoice, channel = 'online') => ({
  ownerKey,
  channel,
  choices: [
    { candidateId: 'a', choice: a },
    { candidateId: 'b', choice: b },
    { candidateId: 'c', choice: c },
  ],
});

describe('counting a multi-seat election ballot', () => {
  it('measures each candidate against the owners who took part and fills the seats it can', () => {
    const result = electionTally({
      seats: 2,
      candidates,
      electorate,
      votes: [
        vote('o1', For, For, Against),
        vote('o2', For, Against, Abstain, 'proxy'),
        vote('o3', For, For, For, 'paper'),
        vote('o4', Against, Abstain, For),
        vote('o5', For, Against, Against),
      ],
    });
    expect(result).toMatchObject({ quorumMet: true, outcome: 'carried', channels: { online: 3, paper: 1, proxy: 1 } });
    expect(result.seats).toMatchObject({ seats: 2, seatsFilled: 1, seatsEmpty: 1, elected: ['a'] });
    expect(result.seats!.candidates.map((c) => [c.name, c.for.owners, c.against.owners, c.abstain.owners, c.verdict])).toEqual([
      ['A', 4, 1, 0, 'elected'],
      ['B', 2, 2, 1, 'neither_over_half'],
      ['C', 2, 2, 1, 'neither_over_half'],
    ]);
    expect(result.seats!.candidates[0].tests.map((t) => [t.test, t.value, t.base, t.passed])).toEqual([
      ['approval_area', '400.00', '500.00', true],
      ['approval_owners', '4', '5', true],
    ]);
  });

  it('is not carried when the quorum is met but no candidate wins both majorities', () => {
    const result = electionTally({
      seats: 2,
      candidates,
      electorate,
      votes: ['o1', 'o2', 'o3', 'o4'].map((o) => vote(o, Abstain, Against, Abstain)),
    });
    expect(result).toMatchObject({ quorumMet: true, outcome: 'not_carried', seats: { seatsFilled: 0, seatsEmpty: 2 } });
  });

  it('has no quorum with three of six owners', () => {
    const result = electionTally({ seats: 1, candidates, electorate, votes: ['o1', 'o2', 'o3'].map((o) => vote(o, For, For, For)) });
    expect(result).toMatchObject({ quorumMet: false, outcome: 'no_quorum', seats: { seatsFilled: 0 } });
  });

  it('refuses a choice on someone who is not a candidate', () => {
    expect(() =>
      electionTally({ seats: 1, candidates, electorate, votes: [{ ownerKey: 'o1', choices: [{ candidateId: 'z', choice: For }] }] }),
    ).toThrow(/not a choice/);
  });
});
