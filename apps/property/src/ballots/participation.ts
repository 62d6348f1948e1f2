import type { BuildingParticipation, ParticipationFigures } from '@cg/contracts';
import { formatHundredths } from '../owners/area';
import { QUORUM, meets } from './tally';

export interface ElectorUnits {
  ownerKey: string;
  units: readonly { buildingId: string; areaHundredths: bigint }[];
}

interface Counter {
  owners: Set<string>;
  ownersVoted: Set<string>;
  area: bigint;
  areaVoted: bigint;
}

const counter = (): Counter => ({ owners: new Set(), ownersVoted: new Set(), area: 0n, areaVoted: 0n });

function percent(value: bigint, base: bigint): string {
  return base === 0n ? '0.00' : formatHundredths((value * 10_000n) / base);
}

function figures(c: Counter): ParticipationFigures {
  const owners = BigInt(c.owners.size);
  const ownersVoted = BigInt(c.ownersVoted.size);
  return {
    ownersVoted: c.ownersVoted.size,
    owners: c.owners.size,
    areaVoted: formatHundredths(c.areaVoted),
    area: formatHundredths(c.area),
    ownersPercent: percent(ownersVoted, owners),
    areaPercent: percent(c.areaVoted, c.area),
  };
}

/**
 * Participation so far, overall and per building. In a building, an owner counts once if any of their units
 * is there, with the area of their units there. Buildings with the lowest share of owners come first.
 */
export function participation(
  electors: readonly ElectorUnits[],
  voted: ReadonlySet<string>,
): { overall: ParticipationFigures; quorumReached: boolean; buildings: BuildingParticipation[] } {
  const overall = counter();
  const buildings = new Map<string, Counter>();
  for (const elector of electors) {
    const hasVoted = voted.has(elector.ownerKey);
    overall.owners.add(elector.ownerKey);
    if (hasVoted) overall.ownersVoted.add(elector.ownerKey);
    for (const unit of elector.units) {
      overall.area += unit.areaHundredths;
      let building = buildings.get(unit.buildingId);
      if (!building) buildings.set(unit.buildingId, (building = counter()));
      building.owners.add(elector.ownerKey);
      building.area += unit.areaHundredths;
      if (hasVoted) {
        overall.areaVoted += unit.areaHundredths;
        building.ownersVoted.add(elector.ownerKey);
        building.areaVoted += unit.areaHundredths;
      }
    }
  }
  const quorumReached =
    meets(overall.areaVoted, overall.area, QUORUM) &&
    meets(BigInt(overall.ownersVoted.size), BigInt(overall.owners.size), QUORUM);
  const rows = [...buildings.entries()].map(([buildingId, c]) => ({ buildingId, ...figures(c), share: c.ownersVoted.size / c.owners.size }));
  rows.sort((a, b) => a.share - b.share || (a.buildingId < b.buildingId ? -1 : 1));
  return { overall: figures(overall), quorumReached, buildings: rows.map(({ share: _share, ...row }) => row) };
}
