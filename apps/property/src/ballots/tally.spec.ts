import { MajorityRule, TallyResultView } from '@cg/contracts';
import { toHundredths } from '../owners/area';
import { electorateOf } from './electorate';
import { ElectorWeight, ORDINARY_APPROVAL, QUORUM, SPECIAL_APPROVAL, meets, required, tally } from './tally';

const FOR = 'for';
const AGAINST = 'against';
const OPTIONS = [FOR, AGAINST, 'abstain'];

/** Owners o1, o2, ... with the given areas in m². */
function electorate(...areas: string[]): ElectorWeight[] {
  return areas.map((area, i) => ({ ownerKey: `o${i + 1}`, areaHundredths: toHundredths(area) }));
}

/** `for` and `against` name the owners (by number) voting each way. */
function count(
  majority: MajorityRule,
  electors: ElectorWeight[],
  ballots: { for?: number[]; against?: number[]; abstain?: number[] },
): TallyResultView {
  const votes = [
    ...(ballots.for ?? []).map((n) => ({ ownerKey: `o${n}`, option: FOR })),
    ...(ballots.against ?? []).map((n) => ({ ownerKey: `o${n}`, option: AGAINST })),
    ...(ballots.abstain ?? []).map((n) => ({ ownerKey: `o${n}`, option: 'abstain' })),
  ];
  return tally({ majority, options: OPTIONS, electorate: electors, votes });
}

function quorumTest(result: TallyResultView, name: 'participation_area' | 'participation_owners') {
  return result.quorum.find((t) => t.test === name)!;
}

function approvalTest(result: TallyResultView, option: string, name: 'approval_area' | 'approval_owners') {
  return result.options.find((o) => o.option === option)!.tests.find((t) => t.test === name)!;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('threshold arithmetic', () => {
  it('counts "at least" with the boundary and "more than" without it', () => {
    expect(meets(2n, 3n, QUORUM)).toBe(true);
    expect(meets(1n, 2n, ORDINARY_APPROVAL)).toBe(false);
    expect(meets(3n, 4n, SPECIAL_APPROVAL)).toBe(true);
    expect(meets(20000n, 30001n, QUORUM)).toBe(false);
    expect(meets(20001n, 30001n, QUORUM)).toBe(true);
  });

  it('names the smallest passing value', () => {
    expect(required(300n, QUORUM)).toBe(200n);
    expect(required(7n, QUORUM)).toBe(5n);
    expect(required(200n, ORDINARY_APPROVAL)).toBe(101n);
    expect(required(201n, ORDINARY_APPROVAL)).toBe(101n);
    expect(required(400n, SPECIAL_APPROVAL)).toBe(300n);
    expect(required(401n, SPECIAL_APPROVAL)).toBe(301n);
  });

  it('passes nothing measured against an empty base', () => {
    expect(meets(0n, 0n, QUORUM)).toBe(false);
    expect(meets(0n, 0n, SPECIAL_APPROVAL)).toBe(false);
  });
});

describe('quorum: at least two thirds of the area and of the owners', () => {
  it('is met at exactly two thirds of both', () => {
    const result = count(MajorityRule.Ordinary, electorate('100.00', '100.00', '100.00'), { for: [1, 2] });
    expect(result.quorumMet).toBe(true);
    expect(result.quorum).toEqual([
      { test: 'participation_area', unit: 'm2', value: '200.00', base: '300.00', threshold: 'at least 2/3', required: '200.00', passed: true },
      { test: 'participation_owners', unit: 'owners', value: '2', base: '3', threshold: 'at least 2/3', required: '2', passed: true },
    ]);
  });

  it('is not met one square centimetre below two thirds of the area', () => {
    const result = count(MajorityRule.Ordinary, electorate('100.00', '99.99', '100.01'), { for: [1, 2] });
    expect(quorumTest(result, 'participation_area')).toMatchObject({ value: '199.99', required: '200.00', passed: false });
    expect(quorumTest(result, 'participation_owners').passed).toBe(true);
    expect(result.quorumMet).toBe(false);
    expect(result.outcome).toBe('no_quorum');
    expect(result.carriedOption).toBeUndefined();
  });

  it('is met one square centimetre above two thirds of the area', () => {
    const result = count(MajorityRule.Ordinary, electorate('100.00', '100.01', '99.99'), { for: [1, 2] });
    expect(quorumTest(result, 'participation_area')).toMatchObject({ value: '200.01', passed: true });
    expect(result.quorumMet).toBe(true);
  });

  it('is not met one owner below two thirds of the owners, however much area took part', () => {
    const electors = electorate('300.00', '300.00', '300.00', '1.00', '1.00', '1.00');
    const three = count(MajorityRule.Ordinary, electors, { for: [1, 2, 3] });
    expect(quorumTest(three, 'participation_area').passed).toBe(true);
    expect(quorumTest(three, 'participation_owners')).toMatchObject({ value: '3', base: '6', required: '4', passed: false });
    expect(three.outcome).toBe('no_quorum');

    const four = count(MajorityRule.Ordinary, electors, { for: [1, 2, 3, 4] });
    expect(quorumTest(four, 'participation_owners')).toMatchObject({ value: '4', passed: true });
    expect(four.quorumMet).toBe(true);
  });

  it('rounds two thirds of an indivisible headcount up: 5 of 7 owners, not 4', () => {
    const electors = electorate('10.00', '10.00', '10.00', '10.00', '10.00', '10.00', '10.00');
    expect(quorumTest(count(MajorityRule.Ordinary, electors, { for: range(1, 4) }), 'participation_owners')).toMatchObject({
      required: '5',
      passed: false,
    });
    expect(quorumTest(count(MajorityRule.Ordinary, electors, { for: range(1, 5) }), 'participation_owners').passed).toBe(true);
  });

  it('counts abstentions and votes against as participation', () => {
    const result = count(MajorityRule.Ordinary, electorate('100.00', '100.00', '100.00'), { against: [1], abstain: [2] });
    expect(result.quorumMet).toBe(true);
    expect(result.outcome).toBe('not_carried');
  });

  it('has no quorum without votes or without an electorate', () => {
    expect(count(MajorityRule.Ordinary, electorate('100.00'), {}).outcome).toBe('no_quorum');
    expect(count(MajorityRule.Ordinary, [], {}).outcome).toBe('no_quorum');
  });
});

describe('ordinary matters: more than half of the participating area and owners', () => {
  const four = electorate('100.00', '100.00', '100.00', '100.00');

  it('does not carry at exactly half of both', () => {
    const result = count(MajorityRule.Ordinary, four, { for: [1, 2], against: [3, 4] });
    expect(approvalTest(result, FOR, 'approval_area')).toEqual({
      test: 'approval_area',
      unit: 'm2',
      value: '200.00',
      base: '400.00',
      threshold: 'more than 1/2',
      required: '200.01',
      passed: false,
    });
    expect(approvalTest(result, FOR, 'approval_owners')).toMatchObject({ value: '2', base: '4', required: '3', passed: false });
    expect(result.outcome).toBe('not_carried');
  });

  it('does not carry with one square centimetre more than half the area but exactly half the owners', () => {
    const result = count(MajorityRule.Ordinary, electorate('100.01', '99.99', '100.00', '100.00'), { for: [1, 3], against: [2, 4] });
    expect(approvalTest(result, FOR, 'approval_area')).toMatchObject({ value: '200.01', passed: true });
    expect(approvalTest(result, FOR, 'approval_owners').passed).toBe(false);
    expect(result.outcome).toBe('not_carried');
  });

  it('does not carry with more than half the owners but exactly half the area', () => {
    const result = count(MajorityRule.Ordinary, electorate('100.00', '50.00', '50.00', '100.00', '100.00'), {
      for: [1, 2, 3],
      against: [4, 5],
    });
    expect(approvalTest(result, FOR, 'approval_owners')).toMatchObject({ value: '3', base: '5', passed: true });
    expect(approvalTest(result, FOR, 'approval_area')).toMatchObject({ value: '200.00', base: '400.00', passed: false });
    expect(result.outcome).toBe('not_carried');
  });

  it('does not carry one square centimetre below half the area with most owners', () => {
    const result = count(MajorityRule.Ordinary, electorate('100.00', '50.00', '49.99', '100.00', '100.01'), {
      for: [1, 2, 3],
      against: [4, 5],
    });
    expect(approvalTest(result, FOR, 'approval_area')).toMatchObject({ value: '199.99', passed: false });
    expect(result.outcome).toBe('not_carried');
  });

  it('carries one owner and one square centimetre past half', () => {
    const result = count(MajorityRule.Ordinary, electorate('100.00', '50.00', '50.01', '100.00', '99.99'), {
      for: [1, 2, 3],
      against: [4, 5],
    });
    expect(approvalTest(result, FOR, 'approval_area')).toMatchObject({ value: '200.01', base: '400.00', passed: true });
    expect(approvalTest(result, FOR, 'approval_owners')).toMatchObject({ value: '3', base: '5', passed: true });
    expect(result.outcome).toBe('carried');
    expect(result.carriedOption).toBe(FOR);
  });

  it('measures approval against those who took part, not the whole electorate', () => {
    const electors = electorate('100.00', '100.00', '100.00', '100.00', '100.00', '100.00');
    const result = count(MajorityRule.Ordinary, electors, { for: [1, 2, 3], against: [4] });
    expect(approvalTest(result, FOR, 'approval_area')).toMatchObject({ value: '300.00', base: '400.00', passed: true });
    expect(approvalTest(result, FOR, 'approval_owners')).toMatchObject({ value: '3', base: '4', passed: true });
    expect(result.carriedOption).toBe(FOR);
  });

  it('carries nothing when the quorum fails, even with unanimous support', () => {
    const result = count(MajorityRule.Ordinary, electorate('100.00', '100.00', '100.00', '100.00'), { for: [1, 2] });
    expect(result.options[0].carried).toBe(true);
    expect(result.outcome).toBe('no_quorum');
    expect(result.carriedOption).toBeUndefined();
  });

  it('lets any option carry, including the one against', () => {
    const result = count(MajorityRule.Ordinary, electorate('100.00', '100.00', '100.00'), { for: [1], against: [2, 3] });
    expect(result.carriedOption).toBe(AGAINST);
    expect(result.options.filter((o) => o.carried)).toHaveLength(1);
  });
});

describe('special matters: at least three quarters of the participating area and owners', () => {
  const four = electorate('100.00', '100.00', '100.00', '100.00');

  it('carries at exactly three quarters of both', () => {
    const result = count(MajorityRule.Special, four, { for: [1, 2, 3], against: [4] });
    expect(approvalTest(result, FOR, 'approval_area')).toEqual({
      test: 'approval_area',
      unit: 'm2',
      value: '300.00',
      base: '400.00',
      threshold: 'at least 3/4',
      required: '300.00',
      passed: true,
    });
    expect(approvalTest(result, FOR, 'approval_owners')).toMatchObject({ value: '3', base: '4', threshold: 'at least 3/4', passed: true });
    expect(result.outcome).toBe('carried');
  });

  it('does not carry one square centimetre below three quarters of the area', () => {
    const result = count(MajorityRule.Special, electorate('100.00', '100.00', '99.99', '100.01'), { for: [1, 2, 3], against: [4] });
    expect(approvalTest(result, FOR, 'approval_area')).toMatchObject({ value: '299.99', required: '300.00', passed: false });
    expect(approvalTest(result, FOR, 'approval_owners').passed).toBe(true);
    expect(result.outcome).toBe('not_carried');
  });

  it('carries one square centimetre above three quarters of the area', () => {
    const result = count(MajorityRule.Special, electorate('100.00', '100.00', '100.01', '99.99'), { for: [1, 2, 3], against: [4] });
    expect(approvalTest(result, FOR, 'approval_area')).toMatchObject({ value: '300.01', passed: true });
    expect(result.outcome).toBe('carried');
  });

  it('does not carry one owner below three quarters of the owners, and carries at three quarters', () => {
    const electors = electorate('500.00', '500.00', '500.00', '500.00', '500.00', '1.00', '1.00', '1.00');
    const five = count(MajorityRule.Special, electors, { for: range(1, 5), against: [6, 7, 8] });
    expect(approvalTest(five, FOR, 'approval_area').passed).toBe(true);
    expect(approvalTest(five, FOR, 'approval_owners')).toMatchObject({ value: '5', base: '8', required: '6', passed: false });
    expect(five.outcome).toBe('not_carried');

    const six = count(MajorityRule.Special, electors, { for: range(1, 6), against: [7, 8] });
    expect(approvalTest(six, FOR, 'approval_owners')).toMatchObject({ value: '6', passed: true });
    expect(six.outcome).toBe('carried');
  });

  it('refuses a special matter that the same votes would carry as an ordinary one', () => {
    const electors = electorate('100.00', '100.00', '100.00');
    const ballots = { for: [1, 2], against: [3] };
    expect(count(MajorityRule.Ordinary, electors, ballots).outcome).toBe('carried');
    const special = count(MajorityRule.Special, electors, ballots);
    expect(special.outcome).toBe('not_carried');
    expect(approvalTest(special, FOR, 'approval_owners')).toMatchObject({ value: '2', base: '3', required: '3', passed: false });
  });
});

describe('counting owners', () => {
  const unit = (unitId: string, area: string, headcountKey: string, buildingId = 'b1') => ({
    unitId,
    buildingId,
    areaHundredths: toHundredths(area),
    headcountKey,
    voterPersonId: `voter-${headcountKey}`,
  });

  it('counts a buyer of several units as one owner with the area of all of them', () => {
    const electors = electorateOf([unit('u1', '80.00', 'buyer-x'), unit('u2', '90.50', 'buyer-x', 'b2'), unit('u3', '70.00', 'y')]);
    expect(electors).toEqual([
      {
        ownerKey: 'buyer-x',
        areaHundredths: 17050n,
        voterPersonIds: ['voter-buyer-x'],
        units: [
          { unitId: 'u1', buildingId: 'b1', areaHundredths: 8000n },
          { unitId: 'u2', buildingId: 'b2', areaHundredths: 9050n },
        ],
      },
      expect.objectContaining({ ownerKey: 'y', areaHundredths: 7000n }),
    ]);
  });

  it("counts all of the developer's unsold units as one owner", () => {
    const electors = electorateOf([unit('u1', '80.00', 'developer'), unit('u2', '80.00', 'developer'), unit('u3', '80.00', 'developer'), unit('u4', '80.00', 'z')]);
    expect(electors.map((e) => [e.ownerKey, e.units.length])).toEqual([
      ['developer', 3],
      ['z', 1],
    ]);
  });

  it("counts a unit's area once however often it is listed", () => {
    const [elector] = electorateOf([unit('u1', '80.00', 'x'), unit('u1', '80.00', 'x')]);
    expect(elector.areaHundredths).toBe(8000n);
  });

  it('weighs the headcount by owners, not units, in the tally', () => {
    // Five units, three owners: the buyer's three units are most of the area but one head.
    const electors = electorateOf([
      unit('u1', '100.00', 'buyer'),
      unit('u2', '100.00', 'buyer'),
      unit('u3', '100.00', 'buyer'),
      unit('u4', '50.00', 'p'),
      unit('u5', '50.00', 'q'),
    ]);
    const result = tally({
      majority: MajorityRule.Ordinary,
      options: OPTIONS,
      electorate: electors.map((e) => ({ ownerKey: e.ownerKey, areaHundredths: e.areaHundredths, units: e.units.length })),
      votes: [
        { ownerKey: 'buyer', option: FOR },
        { ownerKey: 'p', option: AGAINST },
      ],
    });
    expect(result.electorate).toEqual({ owners: 3, units: 5, area: '400.00' });
    expect(quorumTest(result, 'participation_area')).toMatchObject({ value: '350.00', passed: true });
    expect(quorumTest(result, 'participation_owners')).toMatchObject({ value: '2', base: '3', passed: true });
    expect(approvalTest(result, FOR, 'approval_area').passed).toBe(true);
    expect(approvalTest(result, FOR, 'approval_owners')).toMatchObject({ value: '1', base: '2', passed: false });
    expect(result.outcome).toBe('not_carried');
  });
});

describe('votes that can never be counted', () => {
  const electors = electorate('100.00', '100.00');

  it('refuses a vote from outside the electorate', () => {
    expect(() => tally({ majority: MajorityRule.Ordinary, options: OPTIONS, electorate: electors, votes: [{ ownerKey: 'o9', option: FOR }] })).toThrow(
      /not in the electorate/,
    );
  });

  it('refuses a second vote of one owner', () => {
    const votes = [
      { ownerKey: 'o1', option: FOR },
      { ownerKey: 'o1', option: AGAINST },
    ];
    expect(() => tally({ majority: MajorityRule.Ordinary, options: OPTIONS, electorate: electors, votes })).toThrow(/twice/);
  });

  it('refuses an option the ballot does not have', () => {
    expect(() => tally({ majority: MajorityRule.Ordinary, options: OPTIONS, electorate: electors, votes: [{ ownerKey: 'o1', option: 'maybe' }] })).toThrow(
      /not an option/,
    );
  });
});
