import { AreaSource, DomainException, ErrorCode } from '@cg/contracts';
import { parseHundredths } from '../quantities/hundredths';

/** The developer's unsold or undelivered units all count as one owner (Civil Code art. 278 practice). */
export const DEVELOPER_KEY = 'developer';

export interface CandidateAreas {
  registerArea?: string;
  surveyedArea?: string;
  contractArea?: string;
}

export interface ChosenArea {
  hundredths: number;
  source: AreaSource;
}

/** The property register's area wins, else the surveyed area, else the contract's; the source is kept. */
export function chooseExclusiveArea(areas: CandidateAreas): ChosenArea {
  const ordered: [string | undefined, AreaSource][] = [
    [areas.registerArea, 'register'],
    [areas.surveyedArea, 'surveyed'],
    [areas.contractArea, 'contract'],
  ];
  for (const [value, source] of ordered) {
    if (value === undefined) continue;
    const hundredths = parseHundredths(value);
    if (hundredths <= 0) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The exclusive area must be positive', [
        { field: `${source}Area`, reason: 'must be a positive number of m²' },
      ]);
    }
    return { hundredths, source };
  }
  throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The unit needs an exclusive area', [
    { field: 'registerArea', reason: 'one of registerArea, surveyedArea or contractArea is required' },
  ]);
}

export interface OwnersOfRecord {
  ownerPersonIds: string[];
  voterPersonId?: string;
  heldByDeveloper?: boolean;
}

export interface SettledOwners {
  ownerPersonIds: string[];
  voterPersonId: string;
  heldByDeveloper: boolean;
  headcountKey: string;
}

/**
 * Who owns the unit, who votes for it, and which key it is counted under: the same owner (or the same
 * group of co-owners) holding several units counts once, and all of the developer's units count once.
 */
export function settleOwners(input: OwnersOfRecord): SettledOwners {
  const owners = [...new Set(input.ownerPersonIds)];
  if (input.heldByDeveloper) {
    if (owners.length > 0 || input.voterPersonId) {
      throw new DomainException(
        ErrorCode.VALIDATION_FAILED,
        "A developer's unsold unit has no other owners",
        [{ field: 'ownerPersonIds', reason: 'must be empty when heldByDeveloper is true' }],
      );
    }
    return {
      ownerPersonIds: [],
      voterPersonId: DEVELOPER_KEY,
      heldByDeveloper: true,
      headcountKey: DEVELOPER_KEY,
    };
  }
  if (owners.length === 0) {
    throw new DomainException(ErrorCode.VALIDATION_FAILED, 'A unit needs at least one owner of record', [
      { field: 'ownerPersonIds', reason: 'at least one owner, or heldByDeveloper' },
    ]);
  }
  let voter = input.voterPersonId;
  if (!voter) {
    if (owners.length > 1) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Co-owners must designate one voter', [
        { field: 'voterPersonId', reason: 'required when the unit has several owners' },
      ]);
    }
    voter = owners[0];
  }
  if (!owners.includes(voter)) {
    throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The voter must be one of the owners', [
      { field: 'voterPersonId', reason: 'must be one of ownerPersonIds' },
    ]);
  }
  return {
    ownerPersonIds: owners,
    voterPersonId: voter,
    heldByDeveloper: false,
    headcountKey: headcountKeyOf(owners),
  };
}

export function headcountKeyOf(ownerPersonIds: string[]): string {
  return `owners:${[...ownerPersonIds].sort().join('+')}`;
}

export interface CountedUnit {
  headcountKey: string;
  areaHundredths: number;
}

export interface OwnerCounts {
  units: number;
  owners: number;
  areaHundredths: number;
}

/** Units, owners by headcount key, and exclusive area; each unit's area counts once whatever its co-owners. */
export function countOwners(units: Iterable<CountedUnit>): OwnerCounts {
  const keys = new Set<string>();
  let count = 0;
  let area = 0;
  for (const unit of units) {
    count += 1;
    area += unit.areaHundredths;
    keys.add(unit.headcountKey);
  }
  return { units: count, owners: keys.size, areaHundredths: area };
}
