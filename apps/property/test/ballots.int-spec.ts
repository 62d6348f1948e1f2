import { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { AssemblyMatter, BallotStatus, ErrorCode, MajorityRule, Principal, Role, ServiceName } from '@cg/contracts';
import { EventPublisher, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { PropertyAppModule } from '../src/app.module';
import { Ballot, BallotElector, BallotResult, Vote } from '../src/ballots/ballot.schema';
import { BallotsService } from '../src/ballots/ballots.service';
import { OwnerRegisterService } from '../src/owners/owner-register.service';
import { newId, ownershipRecorded } from './ownership-events';

describe('owners assembly ballots against the real database', () => {
  const config = testServiceConfig(ServiceName.Property, runId());
  const communityId = newId();
  const staff: Principal = { sub: 'staff-1', name: 'Staff', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const owner = (personId: string): Principal => ({ sub: `acct-${personId}`, personId, name: personId, roles: [Role.Resident, Role.Owner], communityIds: [communityId] });
  const [pA, pB, pC, pDev, pLate] = [newId(), newId(), newId(), newId(), newId()];
  const [b1, b2] = [newId(), newId()];
  const units = { a1: newId(), a2: newId(), b: newId(), c: newId(), d1: newId(), d2: newId(), late: newId() };
  let app: INestApplication;
  let ballots: BallotsService;
  let register: OwnerRegisterService;
  let publisher: EventPublisher;
  let ballotId: string;

  const hour = 3600_000;
  const period = (fromMs: number, toMs: number) => ({
    opensAt: new Date(Date.now() + fromMs).toISOString(),
    closesAt: new Date(Date.now() + toMs).toISOString(),
  });

  async function registerUnits(count: number, events: ReturnType<typeof ownershipRecorded>[]): Promise<void> {
    for (const event of events) await publisher.publish(event);
    await eventually(async () => (await register.summary(staff, communityId)).units === count);
  }

  beforeAll(async () => {
    app = await startServiceApp(PropertyAppModule.register(config), config);
    ballots = app.get(BallotsService);
    register = app.get(OwnerRegisterService);
    publisher = app.get(EventPublisher);
    const unit = (unitId: string, buildingId: string, area: string, voter: string, key = voter) =>
      ownershipRecorded(communityId, { unitId, buildingId, exclusiveArea: area, voterPersonId: voter, headcountKey: key });
    // Four owners on six units: a buyer of two units, two single owners, the developer's two unsold units.
    await registerUnits(6, [
      unit(units.a1, b1, '100.00', pA, 'buyer-a'),
      unit(units.a2, b2, '50.00', pA, 'buyer-a'),
      unit(units.b, b1, '80.00', pB),
      unit(units.c, b2, '70.00', pC),
      unit(units.d1, b1, '60.00', pDev, 'developer'),
      unit(units.d2, b2, '60.00', pDev, 'developer'),
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  it('creates a special-majority ballot for rebuilding and freezes the electorate when it opens', async () => {
    const created = await ballots.create(staff, communityId, {
      title: 'Rebuild the east car park',
      matter: AssemblyMatter.Rebuilding,
      options: ['for', 'against', 'abstain'],
      ...period(-hour, 24 * hour),
    });
    expect(created).toMatchObject({ status: BallotStatus.Draft, majority: MajorityRule.Special });
    ballotId = created.id;
    const opened = await ballots.open(staff, communityId, ballotId);
    expect(opened.status).toBe(BallotStatus.Open);
    expect(opened.electorate).toEqual({ owners: 4, units: 6, area: '420.00' });
    await expect(ballots.open(staff, communityId, ballotId)).rejects.toMatchObject({ code: ErrorCode.INVALID_TRANSITION });
  });

  it('refuses an owner registered after the ballot opened', async () => {
    await registerUnits(7, [ownershipRecorded(communityId, { unitId: units.late, exclusiveArea: '90.00', voterPersonId: pLate })]);
    await expect(ballots.castVote(owner(pLate), communityId, ballotId, { option: 'for' })).rejects.toMatchObject({
      code: ErrorCode.NOT_ELIGIBLE,
    });
    await expect(ballots.recordPaperVote(staff, communityId, ballotId, { unitId: units.late, option: 'for' })).rejects.toMatchObject({
      code: ErrorCode.NOT_ELIGIBLE,
    });
  });

  it('takes one vote per owner: a second vote, online or on paper for another of their units, is DUPLICATE', async () => {
    const receipt = await ballots.castVote(owner(pA), communityId, ballotId, { option: 'for' });
    expect(receipt).toMatchObject({ ownerKey: 'buyer-a', option: 'for', channel: 'online', area: '150.00' });
    await expect(ballots.castVote(owner(pA), communityId, ballotId, { option: 'against' })).rejects.toMatchObject({
      code: ErrorCode.DUPLICATE,
    });
    await expect(ballots.recordPaperVote(staff, communityId, ballotId, { unitId: units.a2, option: 'against' })).rejects.toMatchObject({
      code: ErrorCode.DUPLICATE,
    });
  });

  it('counts exactly one of two votes of the same owner arriving at once', async () => {
    const outcomes = await Promise.allSettled([
      ballots.castVote(owner(pB), communityId, ballotId, { option: 'for' }),
      ballots.recordPaperVote(staff, communityId, ballotId, { unitId: units.b, option: 'for', paperNumber: 'P-0001' }),
      ballots.castVote(owner(pB), communityId, ballotId, { option: 'for' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused.map((o) => o.reason.code)).toEqual([ErrorCode.DUPLICATE, ErrorCode.DUPLICATE]);
  });

  it('refuses an option the ballot does not offer', async () => {
    await expect(ballots.castVote(owner(pC), communityId, ballotId, { option: 'maybe' })).rejects.toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
    });
  });

  it('shows live participation by area and owners, per building', async () => {
    await ballots.castVote(owner(pC), communityId, ballotId, { option: 'for' });
    const progress = await ballots.progress(staff, communityId, ballotId);
    expect(progress.overall).toEqual({ ownersVoted: 3, owners: 4, areaVoted: '300.00', area: '420.00', ownersPercent: '75.00', areaPercent: '71.42' });
    expect(progress.quorumReached).toBe(true);
    expect(progress.buildings).toEqual([
      { buildingId: b1, ownersVoted: 2, owners: 3, areaVoted: '180.00', area: '240.00', ownersPercent: '66.66', areaPercent: '75.00' },
      { buildingId: b2, ownersVoted: 2, owners: 3, areaVoted: '120.00', area: '180.00', ownersPercent: '66.66', areaPercent: '66.66' },
    ]);
  });

  it('keeps the ballot open until the period ends or every owner has voted', async () => {
    await expect(ballots.close(staff, communityId, ballotId)).rejects.toMatchObject({ code: ErrorCode.OUTSIDE_WINDOW });
    await ballots.recordPaperVote(staff, communityId, ballotId, { unitId: units.d2, option: 'against' });
  });

  it('tallies under the special majority and seals the result: 3 of 4 owners but under 3/4 of the area does not carry', async () => {
    const sealed = await ballots.close(staff, communityId, ballotId);
    expect(sealed.result.quorumMet).toBe(true);
    expect(sealed.result.options[0]).toEqual({
      option: 'for',
      area: '300.00',
      owners: 3,
      carried: false,
      tests: [
        { test: 'approval_area', unit: 'm2', value: '300.00', base: '420.00', threshold: 'at least 3/4', required: '315.00', passed: false },
        { test: 'approval_owners', unit: 'owners', value: '3', base: '4', threshold: 'at least 3/4', required: '3', passed: true },
      ],
    });
    expect(sealed.result.outcome).toBe('not_carried');
    expect(sealed.recordHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await ballots.get(staff, communityId, ballotId)).status).toBe(BallotStatus.Closed);
    await expect(ballots.close(staff, communityId, ballotId)).rejects.toMatchObject({ code: ErrorCode.INVALID_TRANSITION });
    await expect(ballots.castVote(owner(pDev), communityId, ballotId, { option: 'for' })).rejects.toMatchObject({
      code: ErrorCode.OUTSIDE_WINDOW,
    });
    expect(await ballots.result(owner(pA), communityId, ballotId)).toEqual(sealed);
  });

  it('verifies the sealed record, and detects a vote altered in the database afterwards', async () => {
    expect(await ballots.verify(owner(pC), communityId, ballotId)).toMatchObject({
      valid: true,
      electorateMatches: true,
      votesMatch: true,
      resultMatches: true,
    });
    const votes = app.get<Model<Vote>>(getModelToken(Vote.name));
    await votes.updateOne({ ballotId: new Types.ObjectId(ballotId), ownerKey: 'developer' }, { $set: { option: 'for' } });
    const verification = await ballots.verify(owner(pC), communityId, ballotId);
    expect(verification).toMatchObject({ valid: false, electorateMatches: true, votesMatch: false, resultMatches: false });
    expect(verification.recomputedRecordHash).not.toBe(verification.recordHash);
  });

  it('refuses votes before the period starts, and on a ballot that is not open', async () => {
    const later = await ballots.create(staff, communityId, {
      title: 'Adopt the management covenant',
      matter: AssemblyMatter.ManagementCovenant,
      options: ['for', 'against'],
      ...period(hour, 2 * hour),
    });
    await expect(ballots.castVote(owner(pA), communityId, later.id, { option: 'for' })).rejects.toMatchObject({
      code: ErrorCode.OUTSIDE_WINDOW,
      details: { reason: 'not_open' },
    });
    await ballots.open(staff, communityId, later.id);
    await expect(ballots.castVote(owner(pA), communityId, later.id, { option: 'for' })).rejects.toMatchObject({
      code: ErrorCode.OUTSIDE_WINDOW,
      details: { reason: 'not_yet' },
    });
  });

  it('keeps ballots inside their community', async () => {
    const otherCommunity = newId();
    const otherStaff: Principal = { ...staff, communityIds: [otherCommunity] };
    await expect(ballots.get(otherStaff, communityId, ballotId)).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    await expect(ballots.get(otherStaff, otherCommunity, ballotId)).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
    await expect(ballots.create(owner(pA), communityId, { title: 'x', matter: AssemblyMatter.OtherMajorMatter, options: ['a', 'b'], ...period(0, hour) })).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
  });

  describe('races, each in a community of its own', () => {
    /** A fresh community with one owner per unit given, and an open ballot over the whole day. */
    async function openBallot(voters: string[]): Promise<{ community: string; organiser: Principal; ballotId: string; unitIds: string[] }> {
      const community = newId();
      const organiser: Principal = { ...staff, communityIds: [community] };
      const unitIds = voters.map(() => newId());
      for (const [i, voter] of voters.entries()) {
        await publisher.publish(ownershipRecorded(community, { unitId: unitIds[i], exclusiveArea: '80.00', voterPersonId: voter }));
      }
      await eventually(async () => (await register.summary(organiser, community)).units === voters.length);
      const created = await ballots.create(organiser, community, {
        title: 'Repaint the stairwells',
        matter: AssemblyMatter.OtherMajorMatter,
        options: ['for', 'against'],
        ...period(-hour, 24 * hour),
      });
      await ballots.open(organiser, community, created.id);
      return { community, organiser, ballotId: created.id, unitIds };
    }

    it('opens a ballot opened by 20 organisers at once once, freezing its electorate once', async () => {
      const community = newId();
      const organiser: Principal = { ...staff, communityIds: [community] };
      const voters = [newId(), newId(), newId()];
      for (const voter of voters) await publisher.publish(ownershipRecorded(community, { unitId: newId(), exclusiveArea: '60.00', voterPersonId: voter }));
      await eventually(async () => (await register.summary(organiser, community)).units === voters.length);
      const created = await ballots.create(organiser, community, { title: 'Fit a lift', matter: AssemblyMatter.OtherMajorMatter, options: ['for', 'against'], ...period(-hour, hour) });
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => ballots.open(organiser, community, created.id)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(Array(19).fill(ErrorCode.INVALID_TRANSITION));
      const electors = app.get<Model<BallotElector>>(getModelToken(BallotElector.name));
      expect(await electors.countDocuments({ communityId: new Types.ObjectId(community), ballotId: new Types.ObjectId(created.id) })).toBe(3);
      expect((await ballots.get(organiser, community, created.id)).electorate).toEqual({ owners: 3, units: 3, area: '180.00' });
    });

    it('counts one of 50 votes for the same unit arriving at once, online and on paper', async () => {
      const voter = newId();
      const { community, organiser, ballotId: id, unitIds } = await openBallot([voter]);
      const me: Principal = { ...owner(voter), communityIds: [community] };
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          i % 2 === 0
            ? ballots.castVote(me, community, id, { option: i % 4 === 0 ? 'for' : 'against' })
            : ballots.recordPaperVote(organiser, community, id, { unitId: unitIds[0], option: 'against', paperNumber: `P-${i}` }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(refused.map((o) => o.reason.code)).toEqual(Array(49).fill(ErrorCode.DUPLICATE));
      const votes = app.get<Model<Vote>>(getModelToken(Vote.name));
      expect(await votes.countDocuments({ communityId: new Types.ObjectId(community), ballotId: new Types.ObjectId(id) })).toBe(1);
      expect((await ballots.progress(organiser, community, id)).overall.ownersVoted).toBe(1);
    });

    it('seals a ballot closed by 20 organisers at once exactly once, and every closer that succeeds answers that seal', async () => {
      const [v1, v2] = [newId(), newId()];
      const { community, organiser, ballotId: id } = await openBallot([v1, v2]);
      await ballots.castVote({ ...owner(v1), communityIds: [community] }, community, id, { option: 'for' });
      await ballots.castVote({ ...owner(v2), communityIds: [community] }, community, id, { option: 'against' });
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => ballots.close(organiser, community, id)));
      const sealed = outcomes.filter((o): o is PromiseFulfilledResult<Awaited<ReturnType<BallotsService['close']>>> => o.status === 'fulfilled');
      expect(sealed.length).toBeGreaterThanOrEqual(1);
      expect(new Set(sealed.map((o) => o.value.recordHash)).size).toBe(1);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(refused.every((o) => o.reason.code === ErrorCode.INVALID_TRANSITION)).toBe(true);
      const results = app.get<Model<BallotResult>>(getModelToken(BallotResult.name));
      expect(await results.countDocuments({ communityId: new Types.ObjectId(community), _id: new Types.ObjectId(id) })).toBe(1);
      const stored = await app.get<Model<Ballot>>(getModelToken(Ballot.name)).findById(id).lean<Ballot>().exec();
      expect(stored).toMatchObject({ status: BallotStatus.Closed, closedAt: new Date(sealed[0].value.sealedAt) });
      expect(await ballots.result(organiser, community, id)).toEqual(sealed[0].value);
      expect((await ballots.verify(organiser, community, id)).valid).toBe(true);
    });

    it('opens a ballot left Opening by an opener that died, once it has stalled, with its electorate frozen once', async () => {
      const community = newId();
      const organiser: Principal = { ...staff, communityIds: [community] };
      const voters = [newId(), newId()];
      for (const voter of voters) await publisher.publish(ownershipRecorded(community, { unitId: newId(), exclusiveArea: '60.00', voterPersonId: voter }));
      await eventually(async () => (await register.summary(organiser, community)).units === voters.length);
      const created = await ballots.create(organiser, community, { title: 'Fix the gate', matter: AssemblyMatter.OtherMajorMatter, options: ['for', 'against'], ...period(-hour, hour) });
      const ballotModel = app.get<Model<Ballot>>(getModelToken(Ballot.name));
      const electors = app.get<Model<BallotElector>>(getModelToken(BallotElector.name));
      const filter = { communityId: new Types.ObjectId(community), ballotId: new Types.ObjectId(created.id) };
      // The opener died after taking the ballot to Opening and writing part of the electorate.
      const died = new Date(Date.now() - 60_000);
      await ballotModel.updateOne({ _id: new Types.ObjectId(created.id) }, { $set: { status: BallotStatus.Opening, openedAt: died } });
      await electors.create({ ...filter, ownerKey: 'half-written', areaHundredths: 1, voterPersonIds: [], units: [] });
      await expect(ballots.open(organiser, community, created.id)).rejects.toMatchObject({ code: ErrorCode.INVALID_TRANSITION });
      await ballotModel.updateOne({ _id: new Types.ObjectId(created.id) }, { $set: { openedAt: new Date(Date.now() - 3 * 60_000) } });
      const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => ballots.open(organiser, community, created.id)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await electors.countDocuments(filter)).toBe(2);
      expect((await ballots.get(organiser, community, created.id))).toMatchObject({ status: BallotStatus.Open, electorate: { owners: 2 } });
    });

    it('finishes a ballot left Closing by a closer that failed mid-way', async () => {
      const voter = newId();
      const { community, organiser, ballotId: id } = await openBallot([voter]);
      await ballots.castVote({ ...owner(voter), communityIds: [community] }, community, id, { option: 'for' });
      await app.get<Model<Ballot>>(getModelToken(Ballot.name)).updateOne({ _id: new Types.ObjectId(id) }, { $set: { status: BallotStatus.Closing } });
      const sealed = await ballots.close(organiser, community, id);
      expect(sealed.result.outcome).toBe('carried');
      expect((await ballots.get(organiser, community, id)).status).toBe(BallotStatus.Closed);
    });
  });
});
