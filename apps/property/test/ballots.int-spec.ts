import { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { AssemblyMatter, BallotStatus, ErrorCode, MajorityRule, Principal, Role, ServiceName } from '@cg/contracts';
import { EventPublisher, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { PropertyAppModule } from '../src/app.module';
import { Vote } from '../src/ballots/ballot.schema';
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
});
