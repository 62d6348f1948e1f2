import { CandidateCount, SeatsInput, fillSeats } from './fill-seats';

const candidate = (candidateId: string, order: number, forOwners: number, forArea: number): CandidateCount => ({
  candidateId,
  order,
  forOwners: BigInt(forOwners),
  forAreaHundredths: BigInt(forArea * 100),
});

/** 12 owners, 1200 m² in all; by default all of them took part. */
const ballot = (candidates: CandidateCount[], over: Partial<SeatsInput> = {}): SeatsInput => ({
  seats: 3,
  totalOwners: 12n,
  totalAreaHundredths: 120_000n,
  participatingOwners: 12n,
  participatingAreaHundredths: 120_000n,
  candidates,
  ...over,
});

const verdicts = (input: SeatsInput) => Object.fromEntries(fillSeats(input).candidates.map((c) => [c.candidateId, c.verdict]));

describe('filling the seats of a multi-seat election ballot', () => {
  it('fails a candidate with exactly half of the owners, and passes one with half plus one', () => {
    const outcome = fillSeats(ballot([candidate('half', 0, 6, 1000), candidate('half+1', 1, 7, 1000)]));
    expect(outcome.candidates.map((c) => [c.candidateId, c.verdict])).toEqual([
      ['half', 'owners_not_over_half'],
      ['half+1', 'elected'],
    ]);
    expect(outcome).toMatchObject({ seatsFilled: 1, seatsEmpty: 2, elected: ['half+1'] });
  });

  it('fails a candidate with exactly half of the area, and passes one with a hundredth of a m² more', () => {
    expect(verdicts(ballot([candidate('half', 0, 10, 600)]))).toEqual({ half: 'area_not_over_half' });
    const justOver = { ...candidate('over', 0, 10, 600), forAreaHundredths: 60_001n };
    expect(verdicts(ballot([justOver]))).toEqual({ over: 'elected' });
  });

  it('names both majorities when a candidate misses both', () => {
    expect(verdicts(ballot([candidate('low', 0, 2, 324)]))).toEqual({ low: 'neither_over_half' });
  });

  it('counts majorities among the owners who took part, not the whole electorate', () => {
    // 8 of 12 owners with 800 of 1200 m² took part: 5 owners and 401 m² are more than half of them.
    const input = ballot([candidate('a', 0, 5, 401), candidate('b', 1, 4, 401)], {
      participatingOwners: 8n,
      participatingAreaHundredths: 80_000n,
    });
    expect(verdicts(input)).toEqual({ a: 'elected', b: 'owners_not_over_half' });
  });

  it('meets the quorum at exactly two thirds of owners and area, and misses it one owner short', () => {
    const exact = ballot([candidate('a', 0, 8, 800)], { participatingOwners: 8n, participatingAreaHundredths: 80_000n });
    expect(fillSeats(exact)).toMatchObject({ quorumMet: true, seatsFilled: 1 });
    const shortOwner = { ...exact, participatingOwners: 7n, candidates: [candidate('a', 0, 7, 800)] };
    expect(fillSeats(shortOwner)).toMatchObject({ quorumMet: false, seatsFilled: 0, seatsEmpty: 3, elected: [] });
    expect(verdicts(shortOwner)).toEqual({ a: 'no_quorum' });
  });

  it('misses the quorum a hundredth of a m² short of two thirds of the area', () => {
    const input = ballot([candidate('a', 0, 12, 799)], {
      participatingAreaHundredths: 79_999n,
      candidates: [{ ...candidate('a', 0, 12, 0), forAreaHundredths: 79_999n }],
    });
    expect(fillSeats(input)).toMatchObject({ quorumMet: false, seatsFilled: 0 });
  });

  it('seats nobody when the winner by plurality has 27% of the area and 18% of the owners', () => {
    // 100 owners, 10000 m², all took part; the best candidate got 18 owners with 2700 m².
    const input: SeatsInput = {
      seats: 5,
      totalOwners: 100n,
      totalAreaHundredths: 1_000_000n,
      participatingOwners: 100n,
      participatingAreaHundredths: 1_000_000n,
      candidates: [
        { candidateId: 'top', order: 0, forOwners: 18n, forAreaHundredths: 270_000n },
        { candidateId: 'next', order: 1, forOwners: 12n, forAreaHundredths: 150_000n },
      ],
    };
    expect(fillSeats(input)).toMatchObject({ quorumMet: true, seatsFilled: 0, seatsEmpty: 5, elected: [] });
  });

  it("fills the seats in order of owners' votes and leaves the rest empty", () => {
    const outcome = fillSeats(
      ballot([candidate('c', 0, 8, 900), candidate('a', 1, 11, 700), candidate('b', 2, 9, 1100), candidate('d', 3, 3, 300)], { seats: 5 }),
    );
    expect(outcome.elected).toEqual(['a', 'b', 'c']);
    expect(outcome).toMatchObject({ seatsFilled: 3, seatsEmpty: 2 });
    expect(outcome.candidates.map((c) => [c.candidateId, c.verdict, c.rank])).toEqual([
      ['c', 'elected', 3],
      ['a', 'elected', 1],
      ['b', 'elected', 2],
      ['d', 'neither_over_half', undefined],
    ]);
  });

  it('breaks a tie on owners by area, and a tie on both by the earlier nomination', () => {
    const outcome = fillSeats(
      ballot([candidate('late', 2, 9, 800), candidate('early', 1, 9, 800), candidate('bigger', 3, 9, 801)], { seats: 2 }),
    );
    expect(outcome.elected).toEqual(['bigger', 'early']);
    expect(verdicts(ballot([candidate('late', 2, 9, 800), candidate('early', 1, 9, 800)], { seats: 1 }))).toEqual({
      late: 'no_seat_left',
      early: 'elected',
    });
  });

  it('elects nobody from an empty electorate', () => {
    const outcome = fillSeats(
      ballot([candidate('a', 0, 0, 0)], { totalOwners: 0n, totalAreaHundredths: 0n, participatingOwners: 0n, participatingAreaHundredths: 0n }),
    );
    expect(outcome).toMatchObject({ quorumMet: false, seatsFilled: 0, seatsEmpty: 3 });
  });
});
