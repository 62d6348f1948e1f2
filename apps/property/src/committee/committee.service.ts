import { Injectable } from '@nestjs/common';
import {
  BallotStatus,
  CommitteeHistoryView,
  CommitteeRole,
  CommitteeTermView,
  CommitteeTodayView,
  DomainException,
  EndCommitteeTermDto,
  ErrorCode,
  FieldError,
  Principal,
  PropertyEvents,
  SeatCommitteeDto,
  SeatElectedCommitteeDto,
  TermSource,
  TermStatus,
  VoidCommitteeTermDto,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { Outbox } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { BallotsService } from '../ballots/ballots.service';
import { chinaDay } from '../companies/companies.service';
import { ElectionsService } from '../elections/elections.service';
import { formatHundredths, toHundredths } from '../owners/area';
import { CommitteeTerm, CommitteeTermEnd, CommitteeTermVoid, TermMember } from './committee.schema';
import { CommitteeRepository } from './committee.repository';
import { electedMembers } from './elected';
import { TermEnd, byRole, compositionErrors, endOf, isDay, statusOn, termDateErrors } from './terms';

/** Seat and end terms: community staff, for the street office that registers the committee. */
const REGISTRARS = COMMUNITY_MANAGERS;

function invalid(message: string, errors: FieldError[]): DomainException {
  return new DomainException(ErrorCode.VALIDATION_FAILED, message, errors);
}

function toTermView(term: CommitteeTerm, end: TermEnd | undefined, status: TermStatus, voided?: CommitteeTermVoid): CommitteeTermView {
  return {
    id: String(term._id),
    communityId: String(term.communityId),
    number: term.number,
    source: term.source,
    startsOn: term.startsOn,
    endsOn: term.endsOn,
    ...(end && { ended: { endedOn: end.endedOn, reason: end.reason, ...(end.by && { by: end.by }) } }),
    status,
    members: byRole(term.members).map((m) => ({
      personId: m.personId,
      name: m.name,
      role: m.role,
      ...(m.votes && {
        votes: { owners: m.votes.owners, area: formatHundredths(BigInt(m.votes.areaHundredths)) },
      }),
    })),
    ...(term.electionId && { electionId: term.electionId }),
    ...(term.ballotId && { ballotId: term.ballotId }),
    ...(term.basis && { basis: term.basis }),
    ...(term.seatsEmpty !== undefined && { seatsEmpty: term.seatsEmpty }),
    ...(voided && { voided: { reason: voided.reason, by: voided.by, at: voided.at.toISOString() } }),
    seatedBy: term.seatedBy,
    seatedAt: term.seatedAt.toISOString(),
  };
}

@Injectable()
export class CommitteeService {
  constructor(
    private readonly committee: CommitteeRepository,
    private readonly elections: ElectionsService,
    private readonly ballots: BallotsService,
    private readonly outbox: Outbox,
  ) {}

  /** Records a committee seated outside the system's ballots (by hand, from the street office's records). */
  async seat(caller: Principal, communityId: string, dto: SeatCommitteeDto): Promise<CommitteeTermView> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    const errors = [...termDateErrors(dto.startsOn, dto.endsOn), ...compositionErrors(dto.members)];
    if (errors.length > 0) throw invalid('The committee cannot be seated as given', errors);
    return this.seatNext(caller, objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND), dto, {
      source: TermSource.Recorded,
      members: dto.members.map((m) => ({ personId: m.personId, name: m.name, role: m.role })),
      basis: dto.basis,
    });
  }

  /** Seats the candidates a closed election ballot elected, with the chair and vice-chairs they chose. */
  async seatElected(
    caller: Principal,
    communityId: string,
    dto: SeatElectedCommitteeDto,
  ): Promise<CommitteeTermView> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    const dateErrors = termDateErrors(dto.startsOn, dto.endsOn);
    if (dateErrors.length > 0) throw invalid('The term dates are not valid', dateErrors);
    const election = await this.elections.electionBallot(caller, communityId, dto.electionId);
    if (!election.ballotId)
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This election has not gone to the ballot yet');
    const ballot = await this.ballots.get(caller, communityId, election.ballotId);
    if (ballot.status !== BallotStatus.Closed) {
      throw new DomainException(
        ErrorCode.INVALID_TRANSITION,
        `The election ballot is ${ballot.status}: seat the committee once it is closed`,
      );
    }
    const { result } = await this.ballots.result(caller, communityId, election.ballotId);
    const outcome = electedMembers(result);
    if (!outcome.seated)
      throw new DomainException(ErrorCode.INVALID_TRANSITION, outcome.message, { reason: outcome.reason });
    const elected = new Set(outcome.elected.map((m) => m.personId));
    const vices = dto.viceChairPersonIds ?? [];
    const roleErrors: FieldError[] = [];
    if (!elected.has(dto.chairPersonId))
      roleErrors.push({ field: 'chairPersonId', reason: 'the chair must be one of the elected members' });
    for (const vice of vices) {
      if (!elected.has(vice))
        roleErrors.push({ field: 'viceChairPersonIds', reason: `${vice} is not an elected member` });
      if (vice === dto.chairPersonId)
        roleErrors.push({ field: 'viceChairPersonIds', reason: 'the chair cannot also be a vice-chair' });
    }
    if (roleErrors.length > 0) throw invalid('The roles do not fit the elected members', roleErrors);
    const members: TermMember[] = outcome.elected.map((m) => ({
      personId: m.personId,
      name: m.name,
      role:
        m.personId === dto.chairPersonId
          ? CommitteeRole.Chair
          : vices.includes(m.personId)
            ? CommitteeRole.ViceChair
            : CommitteeRole.Member,
      votes: { owners: m.owners, areaHundredths: Number(toHundredths(m.area)) },
    }));
    return this.seatNext(
      caller,
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      dto,
      { source: TermSource.Election, members, electionId: election.electionId, ballotId: election.ballotId, seatsEmpty: outcome.seatsEmpty },
      (terms, voided) => {
        const seated = terms.find((t) => t.electionId === election.electionId && !voided.has(String(t._id)));
        if (seated)
          throw new DomainException(
            ErrorCode.DUPLICATE,
            `This election already seated term ${seated.number}`,
          );
      },
    );
  }

  /** Ends a term before its planned last day; once per term, never later than it already ends. */
  async endTerm(
    caller: Principal,
    communityId: string,
    termId: string,
    dto: EndCommitteeTermDto,
  ): Promise<CommitteeTermView> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const [terms, ends] = await Promise.all([
      this.committee.termsOf(community),
      this.committee.endsOf(community),
    ]);
    const index = terms.findIndex((t) => String(t._id) === termId);
    if (index < 0)
      throw new DomainException(ErrorCode.NOT_FOUND, `No committee term ${termId} in this community`);
    const term = terms[index];
    const voided = new Set((await this.committee.voidsOf(community)).map((v) => v._id));
    if (voided.has(termId)) throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This term was voided: it never sat');
    if (ends.some((e) => e._id === termId))
      throw new DomainException(ErrorCode.DUPLICATE, 'This term already has a recorded end');
    const successor = terms.slice(index + 1).find((t) => !voided.has(String(t._id)));
    const lastDay = endOf(term, successor)?.endedOn ?? term.endsOn;
    if (!isDay(dto.endedOn) || dto.endedOn < term.startsOn || dto.endedOn > lastDay) {
      throw invalid('The term cannot end on that day', [
        { field: 'endedOn', reason: `a day from ${term.startsOn} to ${lastDay}` },
      ]);
    }
    const recorded = await this.committee.insertEnd({
      _id: termId,
      communityId: community,
      endedOn: dto.endedOn,
      reason: dto.reason,
      by: caller.sub,
      at: new Date(),
    });
    if (!recorded) throw new DomainException(ErrorCode.DUPLICATE, 'This term already has a recorded end');
    return (await this.views(community)).find((v) => v.id === termId)!;
  }

  /** Voids a term seated wrongly (e.g. from a ballot that should not have seated it), once, with the reason. */
  async voidTerm(caller: Principal, communityId: string, termId: string, dto: VoidCommitteeTermDto): Promise<CommitteeTermView> {
    assertRole(caller, REGISTRARS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const term = (await this.committee.termsOf(community)).find((t) => String(t._id) === termId);
    if (!term) throw new DomainException(ErrorCode.NOT_FOUND, `No committee term ${termId} in this community`);
    const event = newEvent(
      PropertyEvents.termVoided,
      {
        termId,
        number: term.number,
        reason: dto.reason,
        ...(term.electionId && { electionId: term.electionId }),
        ...(term.ballotId && { ballotId: term.ballotId }),
      },
      { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
    );
    const voided = await this.committee.insertVoid({ _id: termId, communityId: community, reason: dto.reason, by: caller.sub, at: new Date(), outbox: [event] });
    if (!voided) throw new DomainException(ErrorCode.DUPLICATE, 'This term has already been voided');
    void this.outbox.deliver(CommitteeTermVoid.name, termId);
    return (await this.views(community)).find((v) => v.id === termId)!;
  }

  /** The committee sitting today, if any. */
  async today(caller: Principal, communityId: string): Promise<CommitteeTodayView> {
    assertCommunityAccess(caller, communityId);
    const on = chinaDay(new Date());
    const term = (await this.views(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND), on)).find(
      (v) => v.status === TermStatus.Sitting,
    );
    return { communityId, on, ...(term && { term }) };
  }

  async history(caller: Principal, communityId: string): Promise<CommitteeHistoryView> {
    assertCommunityAccess(caller, communityId);
    return { terms: (await this.views(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND))).reverse() };
  }

  /**
   * Seats the community's next term: the checks run on the terms read, and the insert under the unique
   * (community, number) key decides between seatings made at once, so exactly one of them becomes that term.
   */
  private async seatNext(
    caller: Principal,
    communityId: Types.ObjectId,
    dates: { startsOn: string; endsOn: string },
    fields: Pick<CommitteeTerm, 'source' | 'members'> &
      Partial<Pick<CommitteeTerm, 'electionId' | 'ballotId' | 'basis' | 'seatsEmpty'>>,
    check?: (terms: CommitteeTerm[], voided: Set<string>) => void,
  ): Promise<CommitteeTermView> {
    const _id = newId('committee-term');
    const [terms, voids] = await Promise.all([this.committee.termsOf(communityId), this.committee.voidsOf(communityId)]);
    const voided = new Set(voids.map((v) => v._id));
    // The same write retried finds the term its first attempt seated, and answers it.
    if (terms.some((t) => t._id.equals(_id))) {
      return (await this.views(communityId)).find((v) => v.id === String(_id))!;
    }
    check?.(terms, voided);
    // A voided term never sat: the next term is measured against the latest one that stands.
    const standing = terms.filter((t) => !voided.has(String(t._id))).at(-1);
    const errors = termDateErrors(dates.startsOn, dates.endsOn, standing?.startsOn);
    if (errors.length > 0) throw invalid('The term cannot start then', errors);
    const number = (terms.at(-1)?.number ?? 0) + 1;
    const seatedAt = new Date();
    const event = newEvent(
      PropertyEvents.termSeated,
      {
        termId: String(_id),
        number,
        source: fields.source,
        startsOn: dates.startsOn,
        endsOn: dates.endsOn,
        memberPersonIds: fields.members.map((m) => m.personId),
        ...(fields.electionId && { electionId: fields.electionId }),
        ...(fields.ballotId && { ballotId: fields.ballotId }),
        ...(fields.seatsEmpty !== undefined && { seatsEmpty: fields.seatsEmpty }),
      },
      { communityId: String(communityId), actor: caller.sub, correlationId: currentCorrelationId() },
    );
    const term: CommitteeTerm = {
      _id,
      communityId,
      number,
      startsOn: dates.startsOn,
      endsOn: dates.endsOn,
      ...fields,
      seatedBy: caller.sub,
      seatedAt,
      outbox: [event],
    };
    if (!(await this.committee.insertTerm(term))) {
      // The insert decided; the terms are read again only to say why (e.g. the same election seated by another).
      check?.(await this.committee.termsOf(communityId), voided);
      throw new DomainException(ErrorCode.CONFLICT, 'Another term was seated at the same time; reload the history');
    }
    void this.outbox.deliver(CommitteeTerm.name, _id);
    return (await this.views(communityId)).find((v) => v.id === String(term._id))!;
  }

  /** Every term oldest first, with how it ended and its status on the day. */
  private async views(communityId: Types.ObjectId, day = chinaDay(new Date())): Promise<CommitteeTermView[]> {
    const [all, ends, voids] = await Promise.all([
      this.committee.termsOf(communityId),
      this.committee.endsOf(communityId),
      this.committee.voidsOf(communityId),
    ]);
    const early = new Map<string, CommitteeTermEnd>(ends.map((e) => [e._id, e]));
    const voided = new Map<string, CommitteeTermVoid>(voids.map((v) => [v._id, v]));
    // A voided term never sat, so it neither ends its predecessor nor counts as anyone's successor.
    const standing = all.filter((t) => !voided.has(String(t._id)));
    return all.map((term) => {
      const voiding = voided.get(String(term._id));
      if (voiding) return toTermView(term, undefined, TermStatus.Voided, voiding);
      const recorded = early.get(String(term._id));
      const end = endOf(
        term,
        standing[standing.indexOf(term) + 1],
        recorded && { endedOn: recorded.endedOn, reason: recorded.reason, by: recorded.by },
      );
      return toTermView(term, end, statusOn(term, end, day));
    });
  }
}
