import { INestApplication } from '@nestjs/common';
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
import { Types } from 'mongoose';
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
  let app: INestApplication;
  let forum: DeliberationService;
  let ballots: BallotsService;
  let shedTopic: string;
  let lightsTopic: string;
  const period = {
    opensAt: new Date(Date.now() + 3600_000).toISOString(),
    closesAt: new Date(Date.now() + 8 * 86_400_000).toISOString(),
  };

  beforeAll(async () => {
    app = await startServiceApp(PropertyAppModule.register(config), config);
    forum = app.get(DeliberationService);
    ballots = app.get(BallotsService);
    await app
      .get(EventPublisher)
      .publish(
        newEvent<ResidentRegisteredData>(
          MembershipEvents.residentRegistered,
          {
            personId: wang.personId!,
            name: wang.name,
            unitId: newId(),
            buildingId,
            gridId: newId(),
            relation: Relation.Owner,
          },
          { communityId, actor: 'membership', correlationId: 'corr-wang' },
        ),
      );
    const residences = app.get(ResidencyRepository);
    await eventually(async () =>
      residences.findInCommunity(new Types.ObjectId(communityId), new Types.ObjectId(wang.personId)),
    );
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
    await expect(
      forum.raise(liu, communityId, {
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

  it('lets a topic be tried again when its ballot could not be made', async () => {
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
      const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => forum.support(supporter, community, topicId)));
      expect(settledCodes(outcomes)).toEqual(['ok', ...Array(49).fill(ErrorCode.DUPLICATE)].sort());
      expect(await forum.get(supporter, community, topicId)).toMatchObject({ supports: 1, supportedByMe: true });
      const listed = await forum.list(supporter, community, {});
      expect(listed.items.find((t) => t.id === topicId)).toMatchObject({ supports: 1, supportedByMe: true });
    });

    it('lets exactly one of 20 committee members acting at once take a topic up, and records one response', async () => {
      const { community, inCommunity, topicId } = await freshTopic();
      const organiser = inCommunity(staff);
      await forum.saveSettings(organiser, community, { supportThreshold: 1 });
      await forum.support(inCommunity(resident('Backer')), community, topicId);
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
