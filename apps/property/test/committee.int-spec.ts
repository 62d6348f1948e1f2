import { INestApplication } from '@nestjs/common';
import {
  BallotStatus,
  CandidateChoice,
  CandidateSource,
  CommitteeRole,
  DomainException,
  EligibilityCheck,
  ErrorCode,
  Principal,
  Role,
  ServiceName,
  TermSource,
  TermStatus,
} from '@cg/contracts';
import { EventPublisher, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import mongoose, { Connection, Types } from 'mongoose';
import { PropertyAppModule } from '../src/app.module';
import { BallotsService } from '../src/ballots/ballots.service';
import { CommitteeService } from '../src/committee/committee.service';
import { chinaDay } from '../src/companies/companies.service';
import { ElectionsService } from '../src/elections/elections.service';
import { OwnerRegisterService } from '../src/owners/owner-register.service';
import { newId, ownershipRecorded } from './ownership-events';

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'ok'> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    if (!(error instanceof DomainException)) throw error;
    return error.code;
  }
}

const dayFromToday = (days: number) => chinaDay(new Date(Date.now() + days * 86_400_000));
const WEEK = 7 * 86_400_000;

describe("the owners' committee and its terms against real servers", () => {
  const config = testServiceConfig(ServiceName.Property, runId());
  const communityId = newId();
  const staff: Principal = {
    sub: 'staff-1',
    name: 'Chen Jing',
    roles: [Role.CommunityStaff],
    communityIds: [communityId],
  };
  /** No membership service runs here: the party committee's rights are exercised as the system would. */
  const partyCommittee: Principal = { sub: 'party-committee', name: 'Party committee', roles: [Role.System], communityIds: [] };
  const outsider: Principal = {
    sub: 'staff-x',
    name: 'Other staff',
    roles: [Role.CommunityStaff],
    communityIds: [newId()],
  };
  const people = ['Zhao', 'Qian', 'Sun', 'Li', 'Zhou'].map((name, i) => ({
    name,
    personId: newId(),
    area: `${100 - i * 10}.00`,
  }));
  const owner = (p: (typeof people)[number]): Principal => ({
    sub: `acct-${p.name}`,
    personId: p.personId,
    name: p.name,
    roles: [Role.Owner],
    communityIds: [communityId],
  });
  let app: INestApplication;
  let committee: CommitteeService;
  let elections: ElectionsService;
  let ballots: BallotsService;
  let electionId: string;
  let ballotId: string;
  let electedTermId: string;
  let db: Connection;

  /** The public notice period passes: its end is moved into the past, as a week later. */
  const noticePasses = (electionId: string) =>
    db.collection('committee_elections').updateOne({ _id: new Types.ObjectId(electionId) }, { $set: { noticeEndsAt: new Date(Date.now() - 1000) } });

  beforeAll(async () => {
    app = await startServiceApp(PropertyAppModule.register(config), config);
    db = await mongoose.createConnection(config.mongoUrl, { dbName: config.mongoDb }).asPromise();
    committee = app.get(CommitteeService);
    elections = app.get(ElectionsService);
    ballots = app.get(BallotsService);
    const publisher = app.get(EventPublisher);
    for (const p of people) {
      await publisher.publish(
        ownershipRecorded(communityId, {
          unitId: newId(),
          exclusiveArea: p.area,
          voterPersonId: p.personId,
          headcountKey: p.personId,
        }),
      );
    }
    const register = app.get(OwnerRegisterService);
    await eventually(async () => (await register.summary(staff, communityId)).units === people.length);
  });

  afterAll(async () => {
    await db?.close();
    await app.close();
  });

  it('runs an election to a closed ballot, refusing to seat anyone before it closes', async () => {
    const election = await elections.create(staff, communityId, {
      title: "The 2nd owners' committee",
      seats: 4,
      checks: [EligibilityCheck.OwnerOfRecord],
    });
    electionId = election.id;
    for (const p of people.slice(0, 4)) {
      const candidate = await elections.nominate(staff, communityId, electionId, {
        personId: p.personId,
        name: p.name,
        source: CandidateSource.SelfNominated,
      });
      expect(
        await codeOf(elections.review(staff, communityId, electionId, candidate.id, { approved: true, reasons: 'Owner of record' })),
      ).toBe(ErrorCode.FORBIDDEN);
      await elections.review(partyCommittee, communityId, electionId, candidate.id, {
        approved: true,
        reasons: 'Owner of record',
      });
    }
    expect(
      await codeOf(elections.publish(staff, communityId, electionId, { noticeEndsAt: new Date(Date.now() + 20_000).toISOString() })),
    ).toBe(ErrorCode.NOTICE_TOO_SHORT);
    await elections.publish(staff, communityId, electionId, {
      noticeEndsAt: new Date(Date.now() + WEEK + 60_000).toISOString(),
    });
    const period = {
      opensAt: new Date(Date.now() - 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 86_400_000).toISOString(),
    };
    await noticePasses(electionId);
    const started = await elections.startBallot(staff, communityId, electionId, period);
    ballotId = started.ballot.id;
    const seat = {
      electionId,
      startsOn: dayFromToday(-1),
      endsOn: dayFromToday(5 * 365),
      chairPersonId: people[0].personId,
    };
    expect(await codeOf(committee.seatElected(staff, communityId, seat))).toBe(ErrorCode.INVALID_TRANSITION);

    await ballots.open(staff, communityId, ballotId);
    const ids = Object.fromEntries(started.ballot.candidates!.map((c) => [c.name, c.candidateId]));
    // Who votes for whom (everyone else against): Zhao all five, Sun four, Li three, Qian two.
    const supporters: Record<string, number[]> = { Zhao: [0, 1, 2, 3, 4], Qian: [3, 4], Sun: [0, 1, 2, 3], Li: [1, 2, 3] };
    for (const [voter, p] of people.entries()) {
      const choices = Object.entries(supporters).map(([name, by]) => ({
        candidateId: ids[name],
        choice: by.includes(voter) ? CandidateChoice.For : CandidateChoice.Against,
      }));
      await ballots.castVote(owner(p), communityId, ballotId, { choices });
    }
    expect(await codeOf(committee.seatElected(staff, communityId, seat))).toBe(ErrorCode.INVALID_TRANSITION);
    const { result } = await ballots.close(staff, communityId, ballotId);
    expect(result).toMatchObject({ quorumMet: true, outcome: 'carried', seats: { seats: 4, seatsFilled: 3, seatsEmpty: 1 } });
    expect(result.seats!.candidates.map((c) => [c.name, c.verdict, c.rank])).toEqual([
      ['Zhao', 'elected', 1],
      ['Qian', 'neither_over_half', undefined],
      ['Sun', 'elected', 2],
      ['Li', 'elected', 3],
    ]);
  });

  it('refuses a chair who was not elected', async () => {
    const seat = {
      electionId,
      startsOn: dayFromToday(-1),
      endsOn: dayFromToday(5 * 365),
      chairPersonId: people[4].personId,
    };
    await expect(committee.seatElected(staff, communityId, seat)).rejects.toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
    });
  });

  it('seats the elected members once, however many staff record it at the same moment', async () => {
    const seat = {
      electionId,
      startsOn: dayFromToday(-1),
      endsOn: dayFromToday(5 * 365),
      chairPersonId: people[2].personId,
      viceChairPersonIds: [people[0].personId],
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, () => committee.seatElected(staff, communityId, seat)),
    );
    const seated = outcomes.filter((o) => o.status === 'fulfilled');
    expect(seated).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === 'rejected') expect((o.reason as DomainException).code).toBe(ErrorCode.DUPLICATE);
    const term = (seated[0] as PromiseFulfilledResult<Awaited<ReturnType<CommitteeService['seatElected']>>>)
      .value;
    electedTermId = term.id;
    expect(term).toMatchObject({
      number: 1,
      source: TermSource.Election,
      status: TermStatus.Sitting,
      electionId,
      ballotId,
      seatsEmpty: 1,
    });
    expect(term.members.map((m) => [m.name, m.role, m.votes?.owners, m.votes?.area])).toEqual([
      ['Sun', CommitteeRole.Chair, 4, '340.00'],
      ['Zhao', CommitteeRole.ViceChair, 5, '400.00'],
      ['Li', CommitteeRole.Member, 3, '240.00'],
    ]);
    expect((await committee.history(staff, communityId)).terms).toHaveLength(1);
  });

  it("shows the elected term as today's committee, to anyone of the community and to no one else", async () => {
    const today = await committee.today(owner(people[4]), communityId);
    expect(today).toMatchObject({
      communityId,
      on: dayFromToday(0),
      term: { id: electedTermId, status: TermStatus.Sitting },
    });
    expect(await codeOf(committee.today(outsider, communityId))).toBe(ErrorCode.FORBIDDEN);
    expect(
      await codeOf(
        committee.seat(owner(people[0]), communityId, {
          startsOn: dayFromToday(1),
          endsOn: dayFromToday(2),
          members: [],
          basis: 'x',
        }),
      ),
    ).toBe(ErrorCode.FORBIDDEN);
  });

  it('seats exactly one of two next terms recorded at the same moment, and keeps the history', async () => {
    const members = (chair: number) =>
      people
        .slice(0, 3)
        .map((p, i) => ({
          personId: p.personId,
          name: p.name,
          role: i === chair ? CommitteeRole.Chair : CommitteeRole.Member,
        }));
    const next = (chair: number) =>
      committee.seat(staff, communityId, {
        startsOn: dayFromToday(30),
        endsOn: dayFromToday(30 + 5 * 365),
        members: members(chair),
        basis: 'By-election on paper',
      });
    const outcomes = await Promise.allSettled([next(0), next(1), next(2)]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);

    const history = (await committee.history(staff, communityId)).terms;
    expect(history.map((t) => [t.number, t.status])).toEqual([
      [2, TermStatus.Upcoming],
      [1, TermStatus.Sitting],
    ]);
    expect(history[1].ended).toEqual({ endedOn: dayFromToday(29), reason: 'The next term started' });
    expect((await committee.today(staff, communityId)).term?.id).toBe(electedTermId);
  });

  it('records an early end once, never after the term already ends', async () => {
    const tooLate = { endedOn: dayFromToday(40), reason: 'x' };
    await expect(committee.endTerm(staff, communityId, electedTermId, tooLate)).rejects.toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
    });
    const end = { endedOn: dayFromToday(-1), reason: 'The assembly recalled the committee' };
    const outcomes = await Promise.allSettled([
      committee.endTerm(staff, communityId, electedTermId, end),
      committee.endTerm(staff, communityId, electedTermId, end),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const today = await committee.today(staff, communityId);
    expect(today.term).toBeUndefined();
    const ended = (await committee.history(staff, communityId)).terms.find((t) => t.id === electedTermId)!;
    expect(ended).toMatchObject({
      status: TermStatus.Ended,
      ended: { endedOn: dayFromToday(-1), reason: 'The assembly recalled the committee', by: 'staff-1' },
    });
    expect((await ballots.get(staff, communityId, ballotId)).status).toBe(BallotStatus.Closed);
  });

  it('voids a wrongly seated term once, after which it is not the committee and a next term may replace it', async () => {
    const community = newId();
    const registrar: Principal = { ...staff, communityIds: [community] };
    const members = people.slice(0, 3).map((p, i) => ({ personId: p.personId, name: p.name, role: i === 0 ? CommitteeRole.Chair : CommitteeRole.Member }));
    const seated = await committee.seat(registrar, community, { startsOn: dayFromToday(-5), endsOn: dayFromToday(365), members, basis: 'Minutes no. 3' });
    const outcomes = await Promise.all(
      [0, 1, 2].map(() => codeOf(committee.voidTerm(registrar, community, seated.id, { reason: 'Seated from a ballot that missed the quorum' }))),
    );
    expect(outcomes.sort()).toEqual([ErrorCode.DUPLICATE, ErrorCode.DUPLICATE, 'ok'].sort());
    const history = (await committee.history(registrar, community)).terms;
    expect(history[0]).toMatchObject({ id: seated.id, status: TermStatus.Voided, voided: { reason: 'Seated from a ballot that missed the quorum', by: 'staff-1' } });
    expect((await committee.today(registrar, community)).term).toBeUndefined();
    expect(await codeOf(committee.voidTerm(owner(people[0]), community, seated.id, { reason: 'x' }))).toBe(ErrorCode.FORBIDDEN);
    const replaced = await committee.seat(registrar, community, { startsOn: dayFromToday(-5), endsOn: dayFromToday(365), members, basis: 'Minutes no. 4' });
    expect(replaced).toMatchObject({ number: 2, status: TermStatus.Sitting });
    await eventually(async () => (await db.collection('committee_term_voids').findOne({ _id: seated.id as never }))?.outbox.length === 0);
    await eventually(async () => (await db.collection('committee_terms').countDocuments({ communityId: new Types.ObjectId(community), 'outbox.0': { $exists: true } })) === 0);
  });

  describe('election races, each in a community of its own', () => {
    /** A fresh community with an election whose two candidates are nominated (no eligibility checks). */
    async function freshElection() {
      const community = newId();
      const organiser: Principal = { ...staff, communityIds: [community] };
      const election = await elections.create(organiser, community, { title: 'By-election', seats: 1, checks: [] });
      const candidates = [];
      for (const name of ['Wu', 'Zheng']) {
        candidates.push(await elections.nominate(organiser, community, election.id, { personId: newId(), name, source: CandidateSource.SelfNominated }));
      }
      return { community, organiser, electionId: election.id, candidates };
    }

    it('records one qualification review of a candidate reviewed by 20 staff at once', async () => {
      const { community, organiser, electionId: id, candidates } = await freshElection();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          codeOf(elections.review({ ...partyCommittee, sub: `reviewer-${i}` }, community, id, candidates[0].id, { approved: true, reasons: `Review ${i}` })),
        ),
      );
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
      expect(outcomes.filter((o) => o === ErrorCode.DUPLICATE)).toHaveLength(19);
      const view = await elections.get(organiser, community, id);
      expect(view.partyRights.filter((r) => r.candidateId === candidates[0].id)).toHaveLength(1);
    });

    it('sends an election to exactly one ballot when 10 organisers start it at once, discarding the other drafts', async () => {
      const { community, organiser, electionId: id, candidates } = await freshElection();
      for (const c of candidates) await elections.review(partyCommittee, community, id, c.id, { approved: true, reasons: 'Fine' });
      await elections.publish(organiser, community, id, { noticeEndsAt: new Date(Date.now() + WEEK + 60_000).toISOString() });
      await noticePasses(id);
      const period = { opensAt: new Date().toISOString(), closesAt: new Date(Date.now() + 86_400_000).toISOString() };
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, () => elections.startBallot(organiser, community, id, period)));
      const started = outcomes.filter((o): o is PromiseFulfilledResult<Awaited<ReturnType<ElectionsService['startBallot']>>> => o.status === 'fulfilled');
      expect(started).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as DomainException).code).toBe(ErrorCode.CONFLICT);
      const election = await elections.get(organiser, community, id);
      expect(election).toMatchObject({ status: 'balloting', ballotId: started[0].value.ballot.id, version: 3 });
      expect((await ballots.list(organiser, community, {})).items.map((b) => b.id)).toEqual([started[0].value.ballot.id]);
    });

    it('never publishes an election with a candidate nominated while it was being published', async () => {
      const { community, organiser, electionId: id, candidates } = await freshElection();
      for (const c of candidates) await elections.review(partyCommittee, community, id, c.id, { approved: true, reasons: 'Fine' });
      const [published, ...nominated] = await Promise.all([
        codeOf(elections.publish(organiser, community, id, { noticeEndsAt: new Date(Date.now() + WEEK + 60_000).toISOString() })),
        ...Array.from({ length: 10 }, (_, i) =>
          codeOf(elections.nominate(organiser, community, id, { personId: newId(), name: `Late ${i}`, source: CandidateSource.SelfNominated })),
        ),
      ]);
      const election = await elections.get(organiser, community, id);
      if (published === 'ok') {
        expect(election.status).toBe('on_notice');
        // Every candidate the election shows was reviewed before it was published; late nominations were refused.
        expect(election.candidates.every((c) => c.review)).toBe(true);
        expect(election.candidates).toHaveLength(2 + nominated.filter((o) => o === 'ok').length);
        expect(nominated.filter((o) => o === 'ok')).toHaveLength(0);
      } else {
        expect([ErrorCode.INVALID_TRANSITION, ErrorCode.CONFLICT]).toContain(published);
        expect(election.status).toBe('nominating');
        expect(election.candidates).toHaveLength(2 + nominated.filter((o) => o === 'ok').length);
      }
      for (const o of nominated) expect(['ok', ErrorCode.INVALID_TRANSITION]).toContain(o);
    });
  });
});
