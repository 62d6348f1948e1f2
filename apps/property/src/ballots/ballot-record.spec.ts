import { canonicalJson, hashRecord, RecordContents } from './ballot-record';

const contents: RecordContents = {
  ballot: { id: 'b', communityId: 'c', matter: 'rebuilding', majority: 'special', options: ['for', 'against'], opensAt: 't0', closesAt: 't1' },
  electorate: [
    { ownerKey: 'y', areaHundredths: 5000n, voterPersonIds: ['p2'], units: [{ unitId: 'u3', buildingId: 'b1', areaHundredths: 5000n }] },
    {
      ownerKey: 'x',
      areaHundredths: 9000n,
      voterPersonIds: ['p1'],
      units: [
        { unitId: 'u2', buildingId: 'b1', areaHundredths: 4000n },
        { unitId: 'u1', buildingId: 'b1', areaHundredths: 5000n },
      ],
    },
  ],
  votes: [
    { ownerKey: 'y', option: 'against', channel: 'paper', castAt: 't0' },
    { ownerKey: 'x', option: 'for', channel: 'online', castAt: 't0' },
  ],
  result: { outcome: 'carried', carriedOption: 'for', options: [{ option: 'for', area: '90.00' }] },
};

describe('the sealed record of a ballot', () => {
  it('writes keys in one order whatever order they were built in', () => {
    expect(canonicalJson({ b: 1, a: [2n, { d: undefined, c: 'x' }] })).toBe('{"a":["2",{"c":"x"}],"b":1}');
  });

  it('hashes the same contents to the same record hash regardless of the order they were read in', () => {
    const reordered: RecordContents = {
      ...contents,
      electorate: [...contents.electorate].reverse().map((e) => ({ ...e, units: [...e.units].reverse() })),
      votes: [...contents.votes].reverse(),
      result: { options: [{ area: '90.00', option: 'for' }], carriedOption: 'for', outcome: 'carried' },
    };
    expect(hashRecord(reordered)).toEqual(hashRecord(contents));
    expect(hashRecord(contents).recordHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a vote, an area or the result is altered, and says which part', () => {
    const sealed = hashRecord(contents);
    const changedVote = hashRecord({ ...contents, votes: [{ ...contents.votes[0], option: 'for' }, contents.votes[1]] });
    expect(changedVote.votesHash).not.toBe(sealed.votesHash);
    expect(changedVote.electorateHash).toBe(sealed.electorateHash);
    expect(changedVote.recordHash).not.toBe(sealed.recordHash);

    const changedArea = hashRecord({ ...contents, electorate: [{ ...contents.electorate[0], areaHundredths: 5001n }, contents.electorate[1]] });
    expect(changedArea.electorateHash).not.toBe(sealed.electorateHash);

    const changedResult = hashRecord({ ...contents, result: { ...(contents.result as object), outcome: 'not_carried' } });
    expect(changedResult.resultHash).not.toBe(sealed.resultHash);
    expect(changedResult.recordHash).not.toBe(sealed.recordHash);
  });
});
