import { PartnerDomain } from '@cg/contracts';
import { freePlaces, offersDomain } from './partner-places';

describe("a partner's places for consultations", () => {
  it('asks a partner only in a domain they declared', () => {
    const lawyer = { domains: [PartnerDomain.LegalServices, PartnerDomain.FinancialManagement] };
    expect(offersDomain(lawyer, PartnerDomain.LegalServices)).toBe(true);
    expect(offersDomain(lawyer, PartnerDomain.GreeningUpkeep)).toBe(false);
  });

  it('offers every place of an idle partner, the free ones of a busy one, and none at the capacity', () => {
    expect(freePlaces('p', 2, new Set())).toEqual(['p:0', 'p:1']);
    expect(freePlaces('p', 2, new Set(['p:0']))).toEqual(['p:1']);
    expect(freePlaces('p', 2, new Set(['p:0', 'p:1']))).toEqual([]);
    expect(freePlaces('p', 1, new Set())).toEqual(['p:0']);
  });

  it('offers none while the questions held reach a capacity lowered since they were asked', () => {
    expect(freePlaces('p', 2, new Set(['p:2', 'p:1']))).toEqual([]);
    expect(freePlaces('p', 2, new Set(['p:2']))).toEqual(['p:0']);
    expect(freePlaces('p', 3, new Set(['p:4']))).toEqual(['p:0', 'p:1']);
  });
});
