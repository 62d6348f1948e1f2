/** One unit of the owner register as it stood when a ballot opened. */
export interface RegisterUnit {
  unitId: string;
  buildingId: string;
  areaHundredths: bigint;
  headcountKey: string;
  voterPersonId: string;
}

/** One owner as counted for voting: all units sharing a headcount key, with their area summed. */
export interface Elector {
  ownerKey: string;
  areaHundredths: bigint;
  voterPersonIds: string[];
  units: { unitId: string; buildingId: string; areaHundredths: bigint }[];
}

/**
 * Groups units into owners: a buyer of several units counts once, and all unsold units of the developer
 * (one shared key) count once. Each unit's area counts once, however many co-owners it has.
 * The result is sorted by owner key, and each owner's units by unit id, so it is the same for the same register.
 */
export function electorateOf(units: readonly RegisterUnit[]): Elector[] {
  const byOwner = new Map<string, Elector>();
  for (const unit of units) {
    let elector = byOwner.get(unit.headcountKey);
    if (!elector) {
      elector = { ownerKey: unit.headcountKey, areaHundredths: 0n, voterPersonIds: [], units: [] };
      byOwner.set(unit.headcountKey, elector);
    }
    if (elector.units.some((u) => u.unitId === unit.unitId)) continue;
    elector.areaHundredths += unit.areaHundredths;
    elector.units.push({ unitId: unit.unitId, buildingId: unit.buildingId, areaHundredths: unit.areaHundredths });
    if (!elector.voterPersonIds.includes(unit.voterPersonId)) elector.voterPersonIds.push(unit.voterPersonId);
  }
  const electors = [...byOwner.values()].sort((a, b) => compare(a.ownerKey, b.ownerKey));
  for (const elector of electors) {
    elector.units.sort((a, b) => compare(a.unitId, b.unitId));
    elector.voterPersonIds.sort(compare);
  }
  return electors;
}

/** Code-point order, independent of locale, so hashes over sorted data are stable everywhere. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
