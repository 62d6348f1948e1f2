import { Inject, Injectable } from '@nestjs/common';
import {
  BodyKind,
  CandidateSource,
  CandidateView,
  CompositionSuggestionDto,
  CreateElectionDto,
  DomainException,
  EligibilityCheck,
  ElectionBallotDto,
  ElectionBallotView,
  ElectionStatus,
  ElectionView,
  ErrorCode,
  JOINT_NOMINATION_MIN_OWNERS,
  MembershipBodyRpc,
  NominateCandidateDto,
  NominationSuggestionDto,
  PartyRight,
  PartyRightRecordView,
  Principal,
  PublicNoticeDto,
  QualificationReviewDto,
  Role,
  SuggestedCandidateDto,
  hasAnyRole,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { RpcClient } from '@cg/messaging';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { BallotsService, ballotIdOfWrite } from '../ballots/ballots.service';
import { chinaDay } from '../companies/companies.service';
import { ResidencyRepository } from '@cg/residency';
import { noticeShortfall } from './public-notice';
import { checkEligibility } from './eligibility';
import { Candidate, Election, PartyRightRecord } from './election.schema';
import { ElectionsRepository } from './elections.repository';

/** Organise the election: community staff (for the street and the residents' committee). */
const ORGANISERS = COMMUNITY_MANAGERS;
/** Days the candidates stay on public notice at least (configured, never under the legal 7). */
export const ELECTION_NOTICE_DAYS = Symbol('ELECTION_NOTICE_DAYS');

function toRightView(record: PartyRightRecord): PartyRightRecordView {
  return {
    right: record.right,
    by: record.by,
    at: record.at.toISOString(),
    reasons: record.reasons,
    ...(record.candidateId && { candidateId: record.candidateId }),
    ...(record.approved !== undefined && { approved: record.approved }),
    ...(record.candidateIds && record.candidateIds.length > 0 && { candidateIds: record.candidateIds }),
    ...(record.partyMemberPercent !== undefined && { partyMemberPercent: record.partyMemberPercent }),
    ...(record.backgrounds && record.backgrounds.length > 0 && { backgrounds: record.backgrounds }),
    ...(record.checksShown && record.checksShown.length > 0 && { checksShown: record.checksShown }),
  };
}

@Injectable()
export class ElectionsService {
  constructor(
    private readonly elections: ElectionsRepository,
    private readonly residences: ResidencyRepository,
    // The election is run as an assembly ballot through the ballots feature's own rules.
    private readonly ballots: BallotsService,
    private readonly rpc: RpcClient,
    @Inject(ELECTION_NOTICE_DAYS) private readonly noticeDays: number,
  ) {}

  /**
   * The three rights belong to the community party committee: the caller must hold a position today in a body of
   * kind party committee of this community, as membership's bodies record it (asked over RPC, so it is current).
   * A service acting on its own behalf may act too; community staff as such may not.
   */
  private async assertPartyCommittee(caller: Principal, communityId: string): Promise<void> {
    assertCommunityAccess(caller, communityId);
    if (hasAnyRole(caller, [Role.System])) return;
    if (caller.personId) {
      const positions = await this.rpc.send(MembershipBodyRpc.positions, {
        communityId,
        query: { personId: caller.personId, on: chinaDay(new Date()), limit: 200 },
      });
      if (positions.items.some((t) => t.bodyKind === BodyKind.PartyCommittee && t.current)) return;
    }
    throw new DomainException(ErrorCode.FORBIDDEN, 'Only a member of the community party committee may exercise its rights');
  }

  async create(caller: Principal, communityId: string, dto: CreateElectionDto): Promise<ElectionView> {
    assertRole(caller, ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const election = await this.elections.insertElection({
      _id: newId('election'),
      communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      title: dto.title,
      seats: dto.seats,
      checks: dto.checks ?? Object.values(EligibilityCheck),
      status: ElectionStatus.Nominating,
      version: 1,
      nominations: 0,
      createdBy: caller.sub,
      createdAt: new Date(),
    });
    return this.view(election);
  }

  async get(caller: Principal, communityId: string, electionId: string): Promise<ElectionView> {
    assertCommunityAccess(caller, communityId);
    return this.view(await this.load(communityId, electionId));
  }

  /** Self-nomination, joint nomination by owners, or the residents' committee's recommendation. */
  async nominate(caller: Principal, communityId: string, electionId: string, dto: NominateCandidateDto): Promise<CandidateView> {
    assertCommunityAccess(caller, communityId);
    const election = await this.loadNominating(communityId, electionId);
    const staff = hasAnyRole(caller, [...ORGANISERS, Role.System]);
    const nominators = dto.nominatorPersonIds ?? [];
    switch (dto.source) {
      case CandidateSource.SelfNominated:
        if (!staff && caller.personId !== dto.personId) throw new DomainException(ErrorCode.FORBIDDEN, 'Only the candidate can nominate themselves');
        break;
      case CandidateSource.JointlyNominated:
        if (nominators.length < JOINT_NOMINATION_MIN_OWNERS) {
          throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Too few nominators', [
            { field: 'nominatorPersonIds', reason: `a joint nomination needs at least ${JOINT_NOMINATION_MIN_OWNERS} owners` },
          ]);
        }
        if (!staff && !nominators.includes(caller.personId ?? '')) {
          throw new DomainException(ErrorCode.FORBIDDEN, 'Only one of the nominating owners can file a joint nomination');
        }
        for (const nominator of nominators) {
          if ((await this.elections.unitsOwnedBy(election.communityId, nominator)) === 0) {
            throw new DomainException(ErrorCode.NOT_ELIGIBLE, `Nominator ${nominator} is not an owner of record in this community`);
          }
        }
        break;
      case CandidateSource.ResidentsCommitteeRecommended:
        assertRole(caller, ORGANISERS);
        break;
      case CandidateSource.PartyRecommended:
        throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The party organisation recommends candidates through its nomination suggestion', [
          { field: 'source', reason: 'use the nomination suggestion' },
        ]);
    }
    const { doc: candidate, created } = await this.elections.insertCandidate(
      this.candidate(newId('candidate'), caller, election, dto, dto.source, nominators),
    );
    // A retried nomination finds its candidate, counted by the first attempt.
    if (created) await this.counted(election, [candidate]);
    return this.candidateView(election, candidate, []);
  }

  /** The nomination suggestion right: the party committee proposes candidates, with its reasons. */
  async suggestNominations(caller: Principal, communityId: string, electionId: string, dto: NominationSuggestionDto): Promise<ElectionView> {
    await this.assertPartyCommittee(caller, communityId);
    const election = await this.loadNominating(communityId, electionId);
    const suggested: Candidate[] = [];
    const added: Candidate[] = [];
    for (const [i, dtoCandidate] of dto.candidates.entries()) {
      const { doc, created } = await this.elections.insertCandidate(
        this.candidate(newId(`candidate:${i}`), caller, election, dtoCandidate, CandidateSource.PartyRecommended, []),
      );
      suggested.push(doc);
      if (created) added.push(doc);
    }
    // A retried suggestion counts only the candidates its first attempt did not get to write.
    if (added.length > 0) await this.counted(election, added);
    const ids = suggested.map((c) => String(c._id));
    // Its record is written once: a retry meets the first attempt's record on `_id`.
    await this.elections.insertRight({
      _id: String(newId('nomination-suggestion')),
      communityId: election.communityId,
      electionId: election._id,
      right: PartyRight.NominationSuggestion,
      by: caller.sub,
      at: new Date(),
      reasons: dto.reasons,
      candidateIds: ids,
    });
    return this.view(election);
  }

  /** The composition suggestion right: the make-up the party committee recommends, with its reasons. */
  async suggestComposition(caller: Principal, communityId: string, electionId: string, dto: CompositionSuggestionDto): Promise<ElectionView> {
    await this.assertPartyCommittee(caller, communityId);
    const election = await this.loadNominating(communityId, electionId);
    await this.elections.insertRight({
      _id: String(newId('composition-suggestion')),
      communityId: election.communityId,
      electionId: election._id,
      right: PartyRight.CompositionSuggestion,
      by: caller.sub,
      at: new Date(),
      reasons: dto.reasons,
      ...(dto.partyMemberPercent !== undefined && { partyMemberPercent: dto.partyMemberPercent }),
      ...(dto.backgrounds && { backgrounds: dto.backgrounds }),
    });
    return this.view(election);
  }

  /**
   * The qualification review right, once per candidate. The record keeps the checks the reviewer was shown;
   * a candidate failing a check cannot be approved.
   */
  async review(caller: Principal, communityId: string, electionId: string, candidateId: string, dto: QualificationReviewDto): Promise<CandidateView> {
    await this.assertPartyCommittee(caller, communityId);
    const election = await this.loadNominating(communityId, electionId);
    const candidate = (await this.elections.candidatesOf(election.communityId, election._id)).find((c) => String(c._id) === candidateId);
    if (!candidate) throw new DomainException(ErrorCode.NOT_FOUND, `No candidate ${candidateId} in this election`);
    const { results, eligible } = await this.eligibility(election, candidate);
    if (dto.approved && !eligible) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'This candidate does not pass every eligibility check', {
        checks: results.filter((r) => r.outcome !== 'passed'),
      });
    }
    const record: PartyRightRecord = {
      _id: `review:${candidateId}`,
      communityId: election.communityId,
      electionId: election._id,
      right: PartyRight.QualificationReview,
      by: caller.sub,
      at: new Date(),
      reasons: dto.reasons,
      candidateId,
      approved: dto.approved,
      checksShown: results,
    };
    if (!(await this.elections.insertRight(record))) {
      throw new DomainException(ErrorCode.DUPLICATE, 'This candidate has already been reviewed');
    }
    return this.candidateView(election, candidate, [record]);
  }

  /** Publishes the approved candidates for public notice, once every candidate is reviewed. */
  async publish(caller: Principal, communityId: string, electionId: string, dto: PublicNoticeDto): Promise<ElectionView> {
    assertRole(caller, ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const election = await this.loadNominating(communityId, electionId);
    const noticeEndsAt = new Date(dto.noticeEndsAt);
    const publishedAt = new Date();
    const { earliestEnd, tooShort } = noticeShortfall(publishedAt, noticeEndsAt, this.noticeDays);
    if (tooShort) {
      throw new DomainException(ErrorCode.NOTICE_TOO_SHORT, `The candidates stay on public notice for at least ${this.noticeDays} days`, {
        days: this.noticeDays,
        earliestNoticeEnd: earliestEnd.toISOString(),
      });
    }
    const [candidates, rights] = await Promise.all([
      this.elections.candidatesOf(election.communityId, election._id),
      this.elections.rightsOf(election.communityId, election._id),
    ]);
    const reviews = new Map(rights.filter((r) => r.right === PartyRight.QualificationReview).map((r) => [r.candidateId, r]));
    const unreviewed = candidates.filter((c) => !reviews.has(String(c._id)));
    if (unreviewed.length > 0) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, `Not yet reviewed: ${unreviewed.map((c) => c.name).join(', ')}`);
    }
    const published = candidates.filter((c) => reviews.get(String(c._id))?.approved).map((c) => String(c._id));
    if (published.length < 2) throw new DomainException(ErrorCode.INVALID_TRANSITION, 'At least two approved candidates are needed');
    const set = { status: ElectionStatus.OnNotice, noticeEndsAt, publishedAt, publishedCandidateIds: published };
    await this.step(election, set);
    return this.view({ ...election, ...set, version: election.version + 1 });
  }

  /**
   * After the notice period, the election goes to the owners' assembly as a ballot on electing committee members.
   * The ballot is drafted first and linked by the election's one conditional step; a loser's draft is discarded,
   * and a draft left by a failed process is never linked, so the election can simply be sent again.
   */
  async startBallot(caller: Principal, communityId: string, electionId: string, dto: ElectionBallotDto): Promise<ElectionBallotView> {
    assertRole(caller, ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const election = await this.load(communityId, electionId);
    if (election.status === ElectionStatus.Balloting && election.ballotId === String(ballotIdOfWrite())) {
      // The same write retried: its first attempt's ballot is linked.
      return { election: await this.view(election), ballot: await this.ballots.get(caller, communityId, election.ballotId) };
    }
    if (election.status !== ElectionStatus.OnNotice) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, `An election that is ${election.status} cannot go to the ballot`);
    }
    if (Date.now() < election.noticeEndsAt!.getTime()) {
      throw new DomainException(ErrorCode.OUTSIDE_WINDOW, `The candidates are on public notice until ${election.noticeEndsAt!.toISOString()}`);
    }
    const candidates = await this.elections.candidatesOf(election.communityId, election._id);
    // In nomination order, the last tie-break for a seat.
    const published = candidates.filter((c) => election.publishedCandidateIds!.includes(String(c._id)));
    const ballot = await this.ballots.createElectionBallot(caller, communityId, {
      electionId: String(election._id),
      title: election.title,
      description: `Elect up to ${election.seats} members of the owners' committee: for, against or abstain on each candidate published for public notice`,
      seats: election.seats,
      candidates: published.map((c) => ({ candidateId: String(c._id), personId: c.personId, name: c.name })),
      opensAt: dto.opensAt,
      closesAt: dto.closesAt,
    });
    try {
      await this.step(election, { status: ElectionStatus.Balloting, ballotId: ballot.id });
    } catch (error) {
      // A retry of this write running at the same time may have linked this very ballot: it is not discarded then.
      const linked = await this.load(communityId, electionId);
      if (linked.ballotId === ballot.id) return { election: await this.view(linked), ballot };
      await this.ballots.discardDraft(election.communityId, ballot.id);
      throw error;
    }
    const updated = { ...election, status: ElectionStatus.Balloting, version: election.version + 1, ballotId: ballot.id };
    return { election: await this.view(updated), ballot };
  }

  /** The election's seats and, once it went to the ballot, its ballot. */
  async electionBallot(caller: Principal, communityId: string, electionId: string): Promise<{ electionId: string; seats: number; ballotId?: string }> {
    assertCommunityAccess(caller, communityId);
    const election = await this.load(communityId, electionId);
    return { electionId: String(election._id), seats: election.seats, ...(election.ballotId && { ballotId: election.ballotId }) };
  }

  private candidate(
    _id: Types.ObjectId,
    caller: Principal,
    election: Election,
    dto: SuggestedCandidateDto,
    source: CandidateSource,
    nominators: string[],
  ): Candidate {
    return {
      _id,
      communityId: election.communityId,
      electionId: election._id,
      personId: dto.personId,
      name: dto.name,
      source,
      nominatorPersonIds: nominators,
      ...(dto.background && { background: dto.background }),
      ...(dto.partyMember !== undefined && { partyMember: dto.partyMember }),
      ...(dto.feeArrears !== undefined && { feeArrears: dto.feeArrears }),
      ...(dto.relativeAtPropertyCompany !== undefined && { relativeAtPropertyCompany: dto.relativeAtPropertyCompany }),
      nominatedBy: caller.sub,
      nominatedAt: new Date(),
    };
  }

  private async eligibility(election: Election, candidate: Candidate) {
    const [unitsOwned, residence] = await Promise.all([
      this.elections.unitsOwnedBy(election.communityId, candidate.personId),
      Types.ObjectId.isValid(candidate.personId)
        ? this.residences.findInCommunity(election.communityId, new Types.ObjectId(candidate.personId))
        : null,
    ]);
    return checkEligibility(election.checks, {
      unitsOwned,
      livesInCommunity: Boolean(residence),
      ...(candidate.feeArrears !== undefined && { feeArrears: candidate.feeArrears }),
      ...(candidate.relativeAtPropertyCompany !== undefined && { relativeAtPropertyCompany: candidate.relativeAtPropertyCompany }),
    });
  }

  private async candidateView(election: Election, candidate: Candidate, rights: PartyRightRecord[]): Promise<CandidateView> {
    const { results, eligible } = await this.eligibility(election, candidate);
    const review = rights.find((r) => r.right === PartyRight.QualificationReview && r.candidateId === String(candidate._id));
    return {
      id: String(candidate._id),
      personId: candidate.personId,
      name: candidate.name,
      source: candidate.source,
      nominatorPersonIds: candidate.nominatorPersonIds ?? [],
      ...(candidate.background && { background: candidate.background }),
      ...(candidate.partyMember !== undefined && { partyMember: candidate.partyMember }),
      nominatedBy: candidate.nominatedBy,
      checks: results,
      eligible,
      ...(review && { review: toRightView(review) }),
    };
  }

  private async view(election: Election): Promise<ElectionView> {
    const [candidates, rights] = await Promise.all([
      this.elections.candidatesOf(election.communityId, election._id),
      this.elections.rightsOf(election.communityId, election._id),
    ]);
    return {
      id: String(election._id),
      communityId: String(election.communityId),
      title: election.title,
      seats: election.seats,
      checks: election.checks,
      status: election.status,
      version: election.version,
      createdAt: election.createdAt.toISOString(),
      ...(election.noticeEndsAt && { noticeEndsAt: election.noticeEndsAt.toISOString() }),
      ...(election.publishedAt && { publishedAt: election.publishedAt.toISOString() }),
      ...(election.publishedCandidateIds && { publishedCandidateIds: election.publishedCandidateIds }),
      ...(election.ballotId && { ballotId: election.ballotId }),
      partyRights: rights.map(toRightView),
      candidates: await Promise.all(candidates.map((c) => this.candidateView(election, c, rights))),
    };
  }

  /** Counts candidates just written; if the candidates were published meanwhile, they are removed and refused. */
  private async counted(election: Election, candidates: Candidate[]): Promise<void> {
    if (await this.elections.countNominations(election, candidates.length)) return;
    await this.elections.deleteCandidates(election.communityId, candidates.map((c) => c._id));
    throw new DomainException(ErrorCode.INVALID_TRANSITION, 'Nominations and reviews are closed: the candidates have been published');
  }

  private async step(election: Election, set: Partial<Election>): Promise<void> {
    if (!(await this.elections.step(election, set))) throw new DomainException(ErrorCode.CONFLICT, 'The election was changed by someone else at the same time; reload it');
  }

  private async loadNominating(communityId: string, electionId: string): Promise<Election> {
    const election = await this.load(communityId, electionId);
    if (election.status !== ElectionStatus.Nominating) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'Nominations and reviews are closed: the candidates have been published');
    }
    return election;
  }

  private async load(communityId: string, electionId: string): Promise<Election> {
    const election = await this.elections.findElection({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(electionId, ErrorCode.NOT_FOUND),
    });
    if (!election) throw new DomainException(ErrorCode.NOT_FOUND, `No election ${electionId} in this community`);
    return election;
  }
}
