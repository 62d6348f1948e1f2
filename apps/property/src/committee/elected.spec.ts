import { electedMembers } from './elected';

const candidates = ['Chen', 'Gao', 'He', 'Li', 'Ma'].map((name) => ({
  option: name,
  personId: `p-${name}`,
  name,
}));
const figures = (rows: [string, number, string][]) =>
  rows.map(([option, owners, area]) => ({ option, owners, area }));

describe('who an election ballot seats', () => {
  it('refuses a ballot that missed the quorum', () => {
    const outcome = electedMembers(
      { quorumMet: false, options: figures([['Chen', 9, '900.00']]) },
      candidates,
      3,
    );
    expect(outcome).toMatchObject({ seated: false, reason: 'no_quorum' });
  });

  it('gives the seats to the candidates with most owners, then most area', () => {
    const outcome = electedMembers(
      {
        quorumMet: true,
        options: figures([
          ['Chen', 4, '350.00'],
          ['Gao', 6, '500.00'],
          ['He', 4, '350.01'],
          ['Li', 1, '90.00'],
          ['Ma', 0, '0.00'],
        ]),
      },
      candidates,
      3,
    );
    expect(outcome.seated && outcome.elected.map((m) => [m.name, m.owners, m.area])).toEqual([
      ['Gao', 6, '500.00'],
      ['He', 4, '350.01'],
      ['Chen', 4, '350.00'],
    ]);
  });

  it('does not decide a tie for the last seat on both owners and area', () => {
    const outcome = electedMembers(
      {
        quorumMet: true,
        options: figures([
          ['Chen', 5, '400.00'],
          ['Gao', 5, '400.00'],
          ['He', 3, '300.00'],
          ['Li', 3, '300.00'],
        ]),
      },
      candidates,
      3,
    );
    expect(outcome).toMatchObject({ seated: false, reason: 'tie_for_last_seat' });
  });

  it('seats tied candidates when both are inside the seats', () => {
    const outcome = electedMembers(
      {
        quorumMet: true,
        options: figures([
          ['Chen', 5, '400.00'],
          ['Gao', 5, '400.00'],
          ['He', 3, '300.00'],
          ['Li', 2, '300.00'],
        ]),
      },
      candidates,
      3,
    );
    expect(outcome.seated && outcome.elected.map((m) => m.name)).toEqual(['Chen', 'Gao', 'He']);
  });

  it('leaves out candidates nobody voted for, and refuses fewer than three elected', () => {
    const outcome = electedMembers(
      {
        quorumMet: true,
        options: figures([
          ['Chen', 7, '600.00'],
          ['Gao', 2, '100.00'],
          ['He', 0, '0.00'],
        ]),
      },
      candidates,
      5,
    );
    expect(outcome).toMatchObject({ seated: false, reason: 'too_few_elected' });
  });

  it('fills fewer seats than planned when only that many received votes', () => {
    const outcome = electedMembers(
      {
        quorumMet: true,
        options: figures([
          ['Chen', 7, '600.00'],
          ['Gao', 2, '100.00'],
          ['He', 1, '80.00'],
        ]),
      },
      candidates,
      5,
    );
    expect(outcome.seated && outcome.elected.map((m) => m.name)).toEqual(['Chen', 'Gao', 'He']);
  });
});
