import type { OptionTallyView } from '@cg/contracts';
import { COMMITTEE_MIN_MEMBERS } from '@cg/contracts';
import { toHundredths } from '../owners/area';

/** A published candidate and the ballot option that stands for them. */
export interface CandidateOption {
  option: string;
  personId: string;
  name: string;
}

export interface ElectedMember extends CandidateOption {
  owners: number;
  area: string;
}

export type ElectionOutcome =
  | { seated: true; elected: ElectedMember[] }
  | { seated: false; reason: 'no_quorum' | 'tie_for_last_seat' | 'too_few_elected'; message: string };

/**
 * Who an election ballot seats. Each owner voted for one candidate, so a candidate cannot need a majority of
 * their own: the ballot counts only if it met the quorum (2/3 of area and of owners took part), then the seats go
 * to the candidates with the most owners' votes, area breaking a tie. A tie for the last seat on both is not
 * decided here, and a committee needs at least three members.
 */
export function electedMembers(
  result: { quorumMet: boolean; options: Pick<OptionTallyView, 'option' | 'owners' | 'area'>[] },
  candidates: readonly CandidateOption[],
  seats: number,
): ElectionOutcome {
  if (!result.quorumMet) {
    return {
      seated: false,
      reason: 'no_quorum',
      message: 'The election ballot did not reach the quorum of two thirds of area and owners',
    };
  }
  const figures = new Map(result.options.map((o) => [o.option, o]));
  const ranked = candidates
    .map((c) => ({
      ...c,
      owners: figures.get(c.option)?.owners ?? 0,
      area: figures.get(c.option)?.area ?? '0.00',
    }))
    .filter((c) => c.owners > 0)
    .map((c) => ({ member: c, areaHundredths: toHundredths(c.area) }))
    .sort(
      (a, b) =>
        b.member.owners - a.member.owners ||
        (b.areaHundredths > a.areaHundredths ? 1 : b.areaHundredths < a.areaHundredths ? -1 : 0),
    );
  if (ranked.length > seats) {
    const last = ranked[seats - 1];
    const next = ranked[seats];
    if (last.member.owners === next.member.owners && last.areaHundredths === next.areaHundredths) {
      return {
        seated: false,
        reason: 'tie_for_last_seat',
        message: `${last.member.name} and ${next.member.name} tie for the last seat on owners and area`,
      };
    }
  }
  const elected = ranked.slice(0, seats).map((r) => r.member);
  if (elected.length < COMMITTEE_MIN_MEMBERS) {
    return {
      seated: false,
      reason: 'too_few_elected',
      message: `Only ${elected.length} candidate(s) received votes; a committee needs at least ${COMMITTEE_MIN_MEMBERS}`,
    };
  }
  return { seated: true, elected };
}
