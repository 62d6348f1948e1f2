import { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import {
  AssemblyMatter,
  BallotStatus,
  DomainException,
  ErrorCode,
  MembershipEvents,
  Principal,
  Relation,
  ResidentRegisteredData,
  Role,
  ServiceName,
  DeliberationBody,
  TopicCategory,
  TopicDecision,
  TopicScope,
  newEvent,
} from '@cg/contracts';
import { EventPublisher, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Connection, Types } from 'mongoose';
import { PropertyAppModule } from '../src/app.module';
import { BallotsService } from '../src/ballots/ballots.service';
import { DeliberationService } from '../src/deliberation/deliberation.service';
import { ResidencyRepository } from '@cg/residency';
import { newId } from './ownership-events';

const settledCodes = (outcomes: PromiseSettledResult<unknown>[]) =>
  outcomes
    .map((o) => (o.status === 'fulfilled' ? 'ok' : ((o.reason as DomainException).code ?? String(o.reason))))
    .sort();

describe('the deliberation forum against real servers', () => {
  const config = testServiceConfig(ServiceName.Property, runId());
  const communityId = newId();
  const buildingId = newId();
  const gridId = newId();
  const staff: Principal = {
    sub: 'staff-1',
    name: 'Chen Jing',
    roles: [Role.CommunityStaff],
    communityIds: [communityId],
  };
  const committeeMember: Principal = {
    sub: 'oc-1',
    name: 'Zhou Min',
    roles: [Role.OwnersCommitteeMember],
    communityIds: [communityId],
  };
  const resident = (name: string): Principal => ({
    sub: `acct-${name}`,
    personId: newId(),
    name,
    roles: [Role.Resident],
    communityIds: [communityId],
  });
  const [wang, liu, xu, ma] = [resident('Wang'), resident('Liu'), resident('Xu'), resident('Ma')];
  const neighbour = resident('Neighbour');
  const gridNeighbour = resident('Gao');
  let app: INestApplication;
  let database: Connection;
  let forum: DeliberationService;
  let ballots: BallotsService;
  let shedTopic: string;
  let lightsTopic: string;
  const period = {
    opensAt: new Date(Date.now() + 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 8 * 86_400_000).toISOString(),
  };

  /** Registers the person as living in the building (and grid), as membership's event tells property. */
  async function livesIn(who: Principal, home: { community?: string; building?: string; grid?: string } = {}) {
    const community = home.community ?? communityId;
    await app.get(EventPublisher).publish(
      newEvent<ResidentRegisteredData>(
        MembershipEvents.residentRegistered,
        {
          personId: who.personId!,
          name: who.name,
          unitId: newId(),
          buildingId: home.building ?? buildingId,
          gridId: home.grid ?? gridId,
          relation: Relation.Owner,
        },
        { communityId: community, actor: 'membership', correlationId: `corr-${who.name}` },
      ),
    );
    const residences = app.get(ResidencyRepository);
    await eventually(async () =>
      residences.findInCommunity(new Types.ObjectId(community), new Types.ObjectId(who.personId)),
    );
  }

  /** As if the topic had been raised this long ago, past its expiry. */
  async function age(topicId: string, expiredMsAgo: number): Promise<void> {
    await database
      .collection('deliberation_topics')
      .updateOne({ _id: new Types.ObjectId(topicId) }, { $set: { expiresAt: new Date(Date.now() - expiredMsAgo) } });
  }

  beforeAll(async () => {
    app = await startServiceApp(PropertyAppModule.register(config), config);
    forum = app.get(DeliberationService);
    ballots = app.get(BallotsService);
    database = app.get<Connection>(getConnectionToken());
    await Promise.all([
      ...[wang, liu, xu, ma].map((who) => livesIn(who)),
      livesIn(neighbour, { building: newId() }),
      livesIn(gridNeighbour, { building: newId(), grid: newId() }),
    ]);
  });

  afterAll(async () => {
    await app.close();
  });

  it("raises a topic for the raiser's own building, and asks others to name theirs", async () => {
    const topic = await forum.raise(wang, communityId, {
      title: 'Turn the bike shed into a parcel room',
      description: 'Parcels pile up in the lobby every day.',
      category: TopicCategory.CommonParts,
      scope: TopicScope.Building,
    });
    expect(topic).toMatchObject({
      scope: TopicScope.Building,
      scopeId: buildingId,
      supports: 0,
      replies: 0,
      authorName: 'Wang',
    });
    shedTopic = topic.id;
    expect(new Date(topic.expiresAt!).getTime() - new Date(topic.raisedAt).getTime()).toBe(30 * 86_400_000);
    expect(topic.expired).toBe(false);
    await expect(
      forum.raise(resident('Visitor'), communityId, {
        title: 'x',
        description: 'x',
        category: TopicCategory.Other,
        scope: TopicScope.Grid,
      }),
    ).rejects.toMatchObject({ code: ErrorCode.VALIDATION_FAILED });
    lightsTopic = (
      await forum.raise(liu, communityId, {
        title: 'Fix the lights on the east path',
        description: 'Dark since May.',
        category: TopicCategory.Safety,
      })
    ).id;
  });

  it('counts a support once when the same person sends it many times at once', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => forum.support(liu, communityId, shedTopic)),
    );
    expect(settledCodes(outcomes)).toEqual(['ok', ...Array(7).fill(ErrorCode.DUPLICATE)].sort());
    await Promise.all([
      forum.support(xu, communityId, shedTopic),
      forum.support(ma, communityId, shedTopic),
      forum.support(ma, communityId, lightsTopic),
    ]);
    const topic = await forum.get(liu, communityId, shedTopic);
    expect(topic).toMatchObject({ supports: 3, supportedByMe: true });
    expect((await forum.get(wang, communityId, shedTopic)).supportedByMe).toBe(false);
  });

  it("takes supports only from residents living in the topic's building or grid, and changes nothing otherwise", async () => {
    const outside = { code: ErrorCode.NOT_ELIGIBLE, details: { reason: 'outside_scope', scope: TopicScope.Building, scopeId: buildingId } };
    await expect(forum.support(neighbour, communityId, shedTopic)).rejects.toMatchObject(outside);
    await expect(forum.support(resident('Visitor'), communityId, shedTopic)).rejects.toMatchObject(outside);
    await expect(forum.support(staff, communityId, shedTopic)).rejects.toMatchObject({ code: ErrorCode.NOT_ELIGIBLE });
    expect((await forum.get(neighbour, communityId, shedTopic)).supports).toBe(3);

    const gridTopic = await forum.raise(wang, communityId, {
      title: 'A second bin station for the grid',
      description: 'One station for six buildings is not enough.',
      category: TopicCategory.Environment,
      scope: TopicScope.Grid,
    });
    expect(gridTopic.scopeId).toBe(gridId);
    expect((await forum.support(neighbour, communityId, gridTopic.id)).supports).toBe(1);
    await expect(forum.support(gridNeighbour, communityId, gridTopic.id)).rejects.toMatchObject({
      code: ErrorCode.NOT_ELIGIBLE,
      details: { reason: 'outside_scope', scope: TopicScope.Grid, scopeId: gridId },
    });
    const communityTopic = await forum.raise(wang, communityId, {
      title: 'Longer opening hours for the service centre',
      description: 'It closes at five.',
      category: TopicCategory.Other,
    });
    expect((await forum.support(gridNeighbour, communityId, communityTopic.id)).supports).toBe(1);
    await forum.hide(staff, communityId, gridTopic.id, { reason: 'Kept out of the ranking below' });
    await forum.hide(staff, communityId, communityTopic.id, { reason: 'Kept out of the ranking below' });
  });

  it('lists the most supported topic first, then the newest', async () => {
    const newest = await forum.raise(xu, communityId, {
      title: 'More benches by the pond',
      description: 'For the elderly.',
      category: TopicCategory.Environment,
    });
    await forum.support(wang, communityId, newest.id);
    const page = await forum.list(ma, communityId, {});
    expect(page.items.map((t) => [t.id, t.supports])).toEqual([
      [shedTopic, 3],
      [newest.id, 1],
      [lightsTopic, 1],
    ]);
    const first = await forum.list(ma, communityId, { limit: 2 });
    expect(first.nextCursor).toBe('2');
    expect(
      (await forum.list(ma, communityId, { limit: 2, cursor: first.nextCursor })).items.map((t) => t.id),
    ).toEqual([lightsTopic]);
    expect(
      (await forum.list(ma, communityId, { category: TopicCategory.Safety })).items.map((t) => t.id),
    ).toEqual([lightsTopic]);
  });

  it('hides a reply and a topic with a reason, once each, withholding their text from residents', async () => {
    const reply = await forum.reply(ma, communityId, lightsTopic, {
      body: 'Call 138 0000 0000, he knows who broke them',
    });
    await forum.reply(xu, communityId, lightsTopic, { body: 'The property company was told twice.' });
    await expect(
      forum.hideReply(ma, communityId, lightsTopic, reply.id, { reason: 'x' }),
    ).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
    const hidden = await forum.hideReply(staff, communityId, lightsTopic, reply.id, {
      reason: "Names a neighbour's phone number",
    });
    expect(hidden.hidden).toMatchObject({ reason: "Names a neighbour's phone number", by: 'staff-1' });
    await expect(
      forum.hideReply(staff, communityId, lightsTopic, reply.id, { reason: 'again' }),
    ).rejects.toMatchObject({ code: ErrorCode.DUPLICATE });
    const seen = await forum.replies(wang, communityId, lightsTopic, {});
    expect(seen.items.map((r) => [r.body, r.hidden?.reason])).toEqual([
      [undefined, "Names a neighbour's phone number"],
      ['The property company was told twice.', undefined],
    ]);

    const offTopic = await forum.raise(ma, communityId, {
      title: 'Selling my bike',
      description: 'Cheap.',
      category: TopicCategory.Other,
    });
    await forum.hide(staff, communityId, offTopic.id, { reason: 'Adverts belong on the notice board' });
    expect((await forum.list(wang, communityId, {})).items.map((t) => t.id)).not.toContain(offTopic.id);
    expect((await forum.list(staff, communityId, {})).items.map((t) => t.id)).toContain(offTopic.id);
    const asResident = await forum.get(wang, communityId, offTopic.id);
    expect(asResident.title).toBeUndefined();
    expect(asResident.hidden?.reason).toBe('Adverts belong on the notice board');
    expect((await forum.get(ma, communityId, offTopic.id)).title).toBe('Selling my bike');
    await expect(forum.support(wang, communityId, offTopic.id)).rejects.toMatchObject({
      code: ErrorCode.INVALID_TRANSITION,
    });
    await expect(forum.reply(wang, communityId, offTopic.id, { body: 'x' })).rejects.toMatchObject({
      code: ErrorCode.INVALID_TRANSITION,
    });
  });

  it('puts a topic to a ballot only after a take-up at the threshold and a response referring it there', async () => {
    const ballot = () => forum.toBallot(staff, communityId, shedTopic, { matter: AssemblyMatter.CommonPartsUseChange, ...period });
    await expect(ballot()).rejects.toMatchObject({ code: ErrorCode.BELOW_SUPPORT_THRESHOLD, details: { supports: 3, threshold: 20 } });
    await expect(forum.takeUp(committeeMember, communityId, shedTopic, {})).rejects.toMatchObject({
      code: ErrorCode.BELOW_SUPPORT_THRESHOLD,
      details: { supports: 3, threshold: 20 },
    });
    await forum.saveSettings(staff, communityId, { supportThreshold: 3 });
    await expect(ballot()).rejects.toMatchObject({ code: ErrorCode.COMMITTEE_RESPONSE_REQUIRED, details: { reason: 'not_taken_up' } });
    await forum.takeUp(committeeMember, communityId, shedTopic, {});
    await expect(ballot()).rejects.toMatchObject({ code: ErrorCode.COMMITTEE_RESPONSE_REQUIRED, details: { reason: 'no_response' } });
    expect((await forum.get(staff, communityId, shedTopic)).ballotId).toBeUndefined();
    expect((await ballots.list(staff, communityId, {})).items).toEqual([]);
    await forum.respond(committeeMember, communityId, shedTopic, {
      text: "The change of use of the shed needs the owners' assembly.",
      decision: TopicDecision.ReferredToBallot,
    });
  });

  it('turns a topic into exactly one ballot when several organisers act at once', async () => {
    await expect(
      forum.toBallot(wang, communityId, shedTopic, {
        matter: AssemblyMatter.CommonPartsUseChange,
        ...period,
      }),
    ).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 3 }, () =>
        forum.toBallot(staff, communityId, shedTopic, {
          matter: AssemblyMatter.CommonPartsUseChange,
          ...period,
        }),
      ),
      ...Array.from({ length: 3 }, () =>
        forum.toBallot(committeeMember, communityId, shedTopic, {
          matter: AssemblyMatter.CommonPartsUseChange,
          ...period,
        }),
      ),
    ]);
    expect(settledCodes(outcomes)).toEqual(['ok', ...Array(5).fill(ErrorCode.DUPLICATE)].sort());
    const made = (
      outcomes.find((o) => o.status === 'fulfilled') as PromiseFulfilledResult<
        Awaited<ReturnType<DeliberationService['toBallot']>>
      >
    ).value;
    expect(made.ballot).toMatchObject({
      title: 'Turn the bike shed into a parcel room',
      matter: AssemblyMatter.CommonPartsUseChange,
      status: BallotStatus.Draft,
    });
    expect(made.ballot.options).toEqual(['for', 'against', 'abstain']);
    expect(made.topic.ballotId).toBe(made.ballot.id);
    expect((await forum.get(wang, communityId, shedTopic)).ballotId).toBe(made.ballot.id);
    const all = await ballots.list(staff, communityId, {});
    expect(all.items.filter((b) => b.title === 'Turn the bike shed into a parcel room')).toHaveLength(1);
    await expect(
      forum.toBallot(staff, communityId, shedTopic, {
        matter: AssemblyMatter.CommonPartsUseChange,
        ...period,
      }),
    ).rejects.toMatchObject({
      code: ErrorCode.DUPLICATE,
      details: { reason: 'already_a_ballot', ballotId: made.ballot.id },
    });
  });

  it('refuses a ballot for a topic the committee declined, and lets a topic be tried again when its ballot could not be made', async () => {
    await forum.saveSettings(staff, communityId, { supportThreshold: 1 });
    const benches = (await forum.list(staff, communityId, { category: TopicCategory.Environment })).items.find((t) => t.title === 'More benches by the pond')!;
    await forum.takeUp(staff, communityId, benches.id, {});
    await forum.respond(staff, communityId, benches.id, { text: 'The property company adds two benches.', decision: TopicDecision.Accepted });
    await expect(
      forum.toBallot(staff, communityId, benches.id, { matter: AssemblyMatter.OtherMajorMatter, ...period }),
    ).rejects.toMatchObject({ code: ErrorCode.COMMITTEE_RESPONSE_REQUIRED, details: { reason: 'not_referred' } });

    await forum.takeUp(staff, communityId, lightsTopic, {});
    await forum.respond(staff, communityId, lightsTopic, { text: 'For the owners to decide.', decision: TopicDecision.ReferredToBallot });
    const past = {
      opensAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      closesAt: new Date(Date.now() - 86_400_000).toISOString(),
    };
    await expect(
      forum.toBallot(staff, communityId, lightsTopic, { matter: AssemblyMatter.OtherMajorMatter, ...past }),
    ).rejects.toMatchObject({
      code: ErrorCode.VALIDATION_FAILED,
    });
    const made = await forum.toBallot(staff, communityId, lightsTopic, {
      matter: AssemblyMatter.OtherMajorMatter,
      options: ['repair now', 'wait'],
      ...period,
    });
    expect(made.ballot.options).toEqual(['repair now', 'wait']);
  });

  it('keeps each community to its own forum', async () => {
    const stranger: Principal = {
      sub: 'acct-stranger',
      personId: newId(),
      name: 'Stranger',
      roles: [Role.Resident],
      communityIds: [newId()],
    };
    await expect(forum.get(stranger, communityId, shedTopic)).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
    await expect(forum.support(stranger, communityId, shedTopic)).rejects.toMatchObject({
      code: ErrorCode.FORBIDDEN,
    });
    const elsewhere = stranger.communityIds[0];
    await expect(
      forum.get({ ...stranger, roles: [Role.DistrictAdmin] }, elsewhere, shedTopic),
    ).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
  });

  describe('races, each in a community of its own', () => {
    /** A fresh community, its staff, an owners' committee member, and one topic raised there. */
    async function freshTopic() {
      const community = newId();
      const inCommunity = (p: Principal): Principal => ({ ...p, communityIds: [community] });
      const topic = await forum.raise(inCommunity(resident('Author')), community, {
        title: 'Plant trees along the south wall',
        description: 'It is bare.',
        category: TopicCategory.Environment,
      });
      return { community, inCommunity, topicId: topic.id };
    }

    it('keeps one settings record when staff save the threshold 10 times at once, the last write winning', async () => {
      const { community, inCommunity } = await freshTopic();
      const organiser = inCommunity(staff);
      const saved = await Promise.all(Array.from({ length: 10 }, (_, i) => forum.saveSettings(organiser, community, { supportThreshold: i + 1 })));
      const settings = await forum.getSettings(organiser, community);
      expect(settings.customised).toBe(true);
      expect(saved.map((s) => s.supportThreshold)).toContain(settings.supportThreshold);
    });

    it('counts one support of a person who sends it 50 times at once', async () => {
      const { community, inCommunity, topicId } = await freshTopic();
      const supporter = inCommunity(resident('Eager'));
      await livesIn(supporter, { community });
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => forum.support(supporter, community, topicId)));
      expect(settledCodes(outcomes)).toEqual(['ok', ...Array(49).fill(ErrorCode.DUPLICATE)].sort());
      expect(await forum.get(supporter, community, topicId)).toMatchObject({ supports: 1, supportedByMe: true });
      const listed = await forum.list(supporter, community, {});
      expect(listed.items.find((t) => t.id === topicId)).toMatchObject({ supports: 1, supportedByMe: true });
    });

    it('refuses supports and a take-up once the topic expired below its threshold, and changes nothing', async () => {
      const { community, inCommunity, topicId } = await freshTopic();
      const [early, late] = [inCommunity(resident('Early')), inCommunity(resident('Late'))];
      await Promise.all([livesIn(early, { community }), livesIn(late, { community })]);
      await forum.saveSettings(inCommunity(staff), community, { supportThreshold: 2 });
      await forum.support(early, community, topicId);
      await age(topicId, 1);
      const expired = { code: ErrorCode.OUTSIDE_WINDOW, details: { reason: 'topic_expired' } };
      await expect(forum.support(late, community, topicId)).rejects.toMatchObject(expired);
      await expect(forum.takeUp(inCommunity(staff), community, topicId, {})).rejects.toMatchObject(expired);
      const seen = await forum.get(late, community, topicId);
      expect(seen).toMatchObject({ supports: 1, supportedByMe: false, expired: true });
      expect(seen.takeUp).toBeUndefined();
      expect(seen.thresholdReachedAt).toBeUndefined();
    });

    it('keeps taking supports after the expiry of a topic that reached its threshold in time', async () => {
      const { community, inCommunity, topicId } = await freshTopic();
      const [first, second] = [inCommunity(resident('First')), inCommunity(resident('Second'))];
      await Promise.all([livesIn(first, { community }), livesIn(second, { community })]);
      await forum.saveSettings(inCommunity(staff), community, { supportThreshold: 1 });
      const ripe = await forum.support(first, community, topicId);
      expect(ripe.thresholdReachedAt).toBeDefined();
      await age(topicId, 86_400_000);
      expect(await forum.support(second, community, topicId)).toMatchObject({ supports: 2, expired: false });
      expect((await forum.takeUp(inCommunity(staff), community, topicId, {})).takeUp).toMatchObject({ supports: 2, threshold: 1 });
    });

    it('counts every one of 12 residents supporting at once and records the threshold reached once', async () => {
      const { community, inCommunity, topicId } = await freshTopic();
      const backers = Array.from({ length: 12 }, (_, i) => inCommunity(resident(`Backer ${i}`)));
      await Promise.all(backers.map((b) => livesIn(b, { community })));
      await forum.saveSettings(inCommunity(staff), community, { supportThreshold: 6 });
      const outcomes = await Promise.allSettled(backers.map((b) => forum.support(b, community, topicId)));
      expect(settledCodes(outcomes)).toEqual(Array(12).fill('ok'));
      const topic = await forum.get(backers[0], community, topicId);
      expect(topic).toMatchObject({ supports: 12, expired: false });
      const reachedAt = topic.thresholdReachedAt;
      expect(reachedAt).toBeDefined();
      await age(topicId, 1);
      const late = inCommunity(resident('Late backer'));
      await livesIn(late, { community });
      expect((await forum.support(late, community, topicId)).thresholdReachedAt).toBe(reachedAt);
    });

    it('lets exactly one of 20 committee members acting at once take a topic up, and records one response', async () => {
      const { community, inCommunity, topicId } = await freshTopic();
      const organiser = inCommunity(staff);
      await forum.saveSettings(organiser, community, { supportThreshold: 1 });
      const backer = inCommunity(resident('Backer'));
      await livesIn(backer, { community });
      await forum.support(backer, community, topicId);
      const members = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0 ? { ...organiser, sub: `staff-${i}` } : { ...inCommunity(committeeMember), sub: `oc-${i}` },
      );
      const outcomes = await Promise.allSettled(members.map((m) => forum.takeUp(m, community, topicId, {})));
      expect(settledCodes(outcomes)).toEqual(['ok', ...Array(19).fill(ErrorCode.DUPLICATE)].sort());
      const winner = members[outcomes.findIndex((o) => o.status === 'fulfilled')];
      const body = winner.roles.includes(Role.OwnersCommitteeMember) ? DeliberationBody.OwnersCommittee : DeliberationBody.ResidentsCommittee;
      const taken = await forum.get(organiser, community, topicId);
      expect(taken.takeUp).toMatchObject({ body, by: winner.sub, supports: 1, threshold: 1 });
      const responders = members.filter((m) => m.roles.includes(winner.roles[0]));
      const responses = await Promise.allSettled(
        responders.map((m) => forum.respond(m, community, topicId, { text: `Answer from ${m.sub}`, decision: TopicDecision.Accepted })),
      );
      expect(settledCodes(responses)).toEqual(['ok', ...Array(responders.length - 1).fill(ErrorCode.DUPLICATE)].sort());
      const responder = responders[responses.findIndex((o) => o.status === 'fulfilled')];
      expect((await forum.get(organiser, community, topicId)).response).toMatchObject({ body, by: responder.sub, text: `Answer from ${responder.sub}` });
    });
  });
});
