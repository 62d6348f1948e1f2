import { Inject, Injectable } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  DEFAULT_SUPPORT_THRESHOLD,
  DeliberationBody,
  DeliberationSettingsDto,
  DeliberationSettingsView,
  DomainException,
  ErrorCode,
  HidePostDto,
  ModerationView,
  PageQueryDto,
  PostReplyDto,
  Principal,
  RaiseTopicDto,
  ReplyPage,
  ReplyView,
  TOPIC_BALLOT_OPTIONS,
  TopicBallotDto,
  TakeUpTopicDto,
  TopicBallotView,
  TopicDecision,
  TopicListQueryDto,
  TopicPage,
  TopicResponseDto,
  TopicResponseView,
  TopicScope,
  TopicTakeUpView,
  TopicView,
  hasAnyRole,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { BALLOT_ORGANISERS, BallotsService, ballotIdOfWrite } from '../ballots/ballots.service';
import { ResidencyRepository } from '@cg/residency';
import { DeliberationRepository } from './deliberation.repository';
import { offsetOf, pageAt, rankTopics } from './ranking';
import { BODY_MEMBERS, actingBody, reachesThreshold } from './take-up';
import { ballotReadiness, expiresAtOf, isExpired, withinScope } from './topic-rules';
import { Moderation, Topic, TopicReply, TopicResponse, TopicTakeUp } from './topic.schema';

export const TOPIC_EXPIRY_DAYS = Symbol('TOPIC_EXPIRY_DAYS');

/** Hide posts: community staff. */
const MODERATORS = COMMUNITY_MANAGERS;
const DESCRIPTION_LIMIT = 4000;
/** Take up and respond: members of either committee. */
const COMMITTEE_ROLES = Object.values(BODY_MEMBERS).flat();

/** Whose supports to look up; an account without a person (staff) supports nothing. */
const supporterOf = (caller: Principal) => caller.personId ?? `account:${caller.sub}`;

const BODY_NAMES: Record<DeliberationBody, string> = {
  [DeliberationBody.ResidentsCommittee]: "residents' committee",
  [DeliberationBody.OwnersCommittee]: "owners' committee",
};

function toTakeUpView(t: TopicTakeUp): TopicTakeUpView {
  return {
    body: t.body,
    by: t.by,
    byName: t.byName,
    at: t.at.toISOString(),
    supports: t.supports,
    threshold: t.threshold,
  };
}

function toResponseView(r: TopicResponse): TopicResponseView {
  return {
    body: r.body,
    text: r.text,
    decision: r.decision,
    by: r.by,
    byName: r.byName,
    at: r.at.toISOString(),
  };
}

function toModerationView(m: Moderation): ModerationView {
  return { reason: m.reason, by: m.by, at: m.at.toISOString() };
}

/** Hidden text is shown to moderators and to its author only. */
function mayRead(caller: Principal, authorSub: string, hidden: Moderation | undefined): boolean {
  return !hidden || caller.sub === authorSub || hasAnyRole(caller, MODERATORS);
}

interface TopicFigures {
  supports: number;
  replies: number;
  supportedByMe: boolean;
  hidden?: Moderation;
  takeUp?: TopicTakeUp;
  response?: TopicResponse;
}

function toTopicView(caller: Principal, topic: Topic, figures: TopicFigures, now = new Date()): TopicView {
  const readable = mayRead(caller, topic.authorSub, figures.hidden);
  return {
    id: String(topic._id),
    communityId: String(topic.communityId),
    ...(readable && { title: topic.title, description: topic.description }),
    category: topic.category,
    scope: topic.scope,
    ...(topic.scopeId && { scopeId: topic.scopeId }),
    authorName: topic.authorName,
    ...(topic.authorPersonId && { authorPersonId: topic.authorPersonId }),
    raisedAt: topic.raisedAt.toISOString(),
    ...(topic.expiresAt && { expiresAt: topic.expiresAt.toISOString() }),
    expired: isExpired(topic, now),
    ...(topic.thresholdReachedAt && { thresholdReachedAt: topic.thresholdReachedAt.toISOString() }),
    supports: figures.supports,
    supportedByMe: figures.supportedByMe,
    replies: figures.replies,
    ...(figures.hidden && { hidden: toModerationView(figures.hidden) }),
    ...(topic.ballotId && { ballotId: topic.ballotId }),
    ...(figures.takeUp && { takeUp: toTakeUpView(figures.takeUp) }),
    ...(figures.response && { response: toResponseView(figures.response) }),
  };
}

function toReplyView(caller: Principal, reply: TopicReply, hidden: Moderation | undefined): ReplyView {
  return {
    id: String(reply._id),
    topicId: String(reply.topicId),
    ...(mayRead(caller, reply.authorSub, hidden) && { body: reply.body }),
    authorName: reply.authorName,
    ...(reply.authorPersonId && { authorPersonId: reply.authorPersonId }),
    postedAt: reply.postedAt.toISOString(),
    ...(hidden && { hidden: toModerationView(hidden) }),
  };
}

@Injectable()
export class DeliberationService {
  constructor(
    private readonly forum: DeliberationRepository,
    private readonly residences: ResidencyRepository,
    // A topic goes to the owners' assembly through the ballots feature's own rules.
    private readonly ballots: BallotsService,
    @Inject(TOPIC_EXPIRY_DAYS) private readonly expiryDays: number,
  ) {}

  /** A resident raises a topic for the community, or for their grid or building. */
  async raise(caller: Principal, communityId: string, dto: RaiseTopicDto): Promise<TopicView> {
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const scope = dto.scope ?? TopicScope.Community;
    const scopeId =
      scope === TopicScope.Community
        ? undefined
        : (dto.scopeId ?? (await this.homeOf(caller, community, scope)));
    const raisedAt = new Date();
    const topic = await this.forum.insertTopic({
      _id: newId('topic'),
      communityId: community,
      title: dto.title,
      description: dto.description,
      category: dto.category,
      scope,
      ...(scopeId && { scopeId }),
      authorSub: caller.sub,
      ...(caller.personId && { authorPersonId: caller.personId }),
      authorName: caller.name,
      raisedAt,
      expiresAt: expiresAtOf(raisedAt, this.expiryDays),
    });
    return toTopicView(caller, topic, { supports: 0, replies: 0, supportedByMe: false });
  }

  async get(caller: Principal, communityId: string, topicId: string): Promise<TopicView> {
    assertCommunityAccess(caller, communityId);
    return this.view(caller, await this.load(communityId, topicId));
  }

  /** The forum, most supported first, then newest. Hidden topics are left out for everyone but moderators. */
  async list(caller: Principal, communityId: string, query: TopicListQueryDto): Promise<TopicPage> {
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const offset = offsetOf(query.cursor);
    if (offset === undefined) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Not a cursor of this list', [
        { field: 'cursor', reason: 'use nextCursor of the previous page' },
      ]);
    }
    const [topics, supports, replies, hidden, mine] = await Promise.all([
      this.forum.topicsOf(community, {
        ...(query.category && { category: query.category }),
        ...(query.scopeId && { scopeId: query.scopeId }),
      }),
      this.forum.supportCounts(community),
      this.forum.replyCounts(community),
      this.forum.hiddenTopics(community),
      this.forum.topicsSupportedBy(community, supporterOf(caller)),
    ]);
    const moderator = hasAnyRole(caller, MODERATORS);
    const visible = topics
      .filter((t) => moderator || !hidden.has(String(t._id)))
      .map((topic) => ({
        id: String(topic._id),
        raisedAt: topic.raisedAt,
        supports: supports.get(String(topic._id)) ?? 0,
        topic,
      }));
    const page = pageAt(rankTopics(visible), offset, query.limit ?? DEFAULT_PAGE_SIZE);
    const ids = page.items.map((item) => item.id);
    const [takeUps, responses] = await Promise.all([
      this.forum.takeUpsOf(community, ids),
      this.forum.responsesOf(community, ids),
    ]);
    return {
      ...page,
      items: page.items.map(({ id, supports: count, topic }) =>
        toTopicView(caller, topic, {
          supports: count,
          replies: replies.get(id) ?? 0,
          supportedByMe: mine.has(id),
          hidden: hidden.get(id),
          takeUp: takeUps.get(id),
          response: responses.get(id),
        }),
      ),
    };
  }

  /**
   * A resident living in the topic's scope supports it, once: one unique insert per person decides, so a second
   * support, even at the same moment, is refused and not counted. An expired topic takes none (decided by the
   * conditional update that admits the support). The support that brings it to the threshold records when.
   */
  async support(caller: Principal, communityId: string, topicId: string): Promise<TopicView> {
    assertCommunityAccess(caller, communityId);
    const topic = await this.loadOpen(communityId, topicId);
    await this.assertInScope(caller, topic);
    const now = new Date();
    if (!(await this.forum.admitSupport(topic, now))) throw this.expired(topic);
    const inserted = await this.forum.insertSupport({
      _id: `${String(topic._id)}:${caller.personId}`,
      communityId: topic.communityId,
      topicId: topic._id,
      supporter: caller.personId!,
      at: now,
    });
    if (!inserted) throw new DomainException(ErrorCode.DUPLICATE, 'You already support this topic');
    if (!topic.thresholdReachedAt) {
      const [supports, threshold] = await Promise.all([
        this.forum.countSupports(topic.communityId, topic._id),
        this.thresholdOf(topic.communityId),
      ]);
      if (reachesThreshold(supports, threshold)) await this.forum.markThresholdReached(topic, now);
    }
    return this.view(caller, await this.load(communityId, topicId));
  }

  async reply(
    caller: Principal,
    communityId: string,
    topicId: string,
    dto: PostReplyDto,
  ): Promise<ReplyView> {
    assertCommunityAccess(caller, communityId);
    const topic = await this.loadOpen(communityId, topicId);
    const reply = await this.forum.insertReply({
      _id: newId('reply'),
      communityId: topic.communityId,
      topicId: topic._id,
      body: dto.body,
      authorSub: caller.sub,
      ...(caller.personId && { authorPersonId: caller.personId }),
      authorName: caller.name,
      postedAt: new Date(),
    });
    return toReplyView(caller, reply, undefined);
  }

  async replies(
    caller: Principal,
    communityId: string,
    topicId: string,
    page: PageQueryDto,
  ): Promise<ReplyPage> {
    assertCommunityAccess(caller, communityId);
    const topic = await this.load(communityId, topicId);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const docs = await this.forum.repliesOf(topic.communityId, topic._id, { cursor: page.cursor, limit });
    const hidden = await this.forum.moderationsOf(
      topic.communityId,
      docs.items.map((d) => String(d._id)),
    );
    return { ...docs, items: docs.items.map((reply) => toReplyView(caller, reply, hidden.get(String(reply._id)))) };
  }

  /** Hides a topic with a reason; the record stays, its text is withheld from residents. Once per post. */
  async hide(caller: Principal, communityId: string, topicId: string, dto: HidePostDto): Promise<TopicView> {
    assertRole(caller, MODERATORS);
    assertCommunityAccess(caller, communityId);
    const topic = await this.load(communityId, topicId);
    await this.moderate(caller, topic, String(topic._id), 'topic', dto);
    return this.view(caller, topic);
  }

  async hideReply(
    caller: Principal,
    communityId: string,
    topicId: string,
    replyId: string,
    dto: HidePostDto,
  ): Promise<ReplyView> {
    assertRole(caller, MODERATORS);
    assertCommunityAccess(caller, communityId);
    const topic = await this.load(communityId, topicId);
    const reply = await this.forum.findReply({
      communityId: topic.communityId,
      topicId: topic._id,
      _id: objectId(replyId, ErrorCode.NOT_FOUND),
    });
    if (!reply) throw new DomainException(ErrorCode.NOT_FOUND, `No reply ${replyId} on this topic`);
    const moderation = await this.moderate(caller, topic, replyId, 'reply', dto);
    return toReplyView(caller, reply, moderation);
  }

  /**
   * Puts a topic to the owners' assembly as a ballot, once: the ballot is drafted first and linked by one
   * conditional update on the topic, so of organisers acting at once exactly one links theirs; the others'
   * drafts are discarded. A draft left by a failed process is never linked, and the topic can be tried again.
   */
  async toBallot(
    caller: Principal,
    communityId: string,
    topicId: string,
    dto: TopicBallotDto,
  ): Promise<TopicBallotView> {
    assertRole(caller, BALLOT_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const topic = await this.loadOpen(communityId, topicId);
    if (topic.ballotId === String(ballotIdOfWrite())) {
      // The same write retried: its first attempt's ballot is linked.
      return { topic: await this.view(caller, topic), ballot: await this.ballots.get(caller, communityId, topic.ballotId) };
    }
    if (topic.ballotId) throw this.alreadyABallot(topic.ballotId);
    await this.assertReferredToBallot(topic);
    const description = `Raised on the deliberation forum by ${topic.authorName}: ${topic.description}`;
    const ballot = await this.ballots.create(caller, communityId, {
      title: topic.title,
      description:
        description.length > DESCRIPTION_LIMIT ? `${description.slice(0, DESCRIPTION_LIMIT - 1)}…` : description,
      matter: dto.matter,
      options: dto.options ?? TOPIC_BALLOT_OPTIONS,
      opensAt: dto.opensAt,
      closesAt: dto.closesAt,
    });
    if (!(await this.forum.linkBallot(topic, ballot.id))) {
      const linked = (await this.forum.findTopic({ communityId: topic.communityId, _id: topic._id }))?.ballotId;
      // A retry of this write running at the same time linked this very ballot: it is answered, not discarded.
      if (linked === ballot.id) return { topic: await this.view(caller, { ...topic, ballotId: ballot.id }), ballot };
      await this.ballots.discardDraft(topic.communityId, ballot.id);
      throw this.alreadyABallot(linked);
    }
    return { topic: await this.view(caller, { ...topic, ballotId: ballot.id }), ballot };
  }

  /** The supports a topic needs before a committee takes it up, and whether the community chose it. */
  async getSettings(caller: Principal, communityId: string): Promise<DeliberationSettingsView> {
    assertCommunityAccess(caller, communityId);
    const settings = await this.forum.findSettings(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND));
    if (!settings) return { communityId, supportThreshold: DEFAULT_SUPPORT_THRESHOLD, customised: false };
    return {
      communityId,
      supportThreshold: settings.supportThreshold,
      customised: true,
      updatedBy: settings.updatedBy,
      updatedAt: settings.updatedAt.toISOString(),
    };
  }

  /** Staff set the threshold; the last change wins. Topics already taken up keep the threshold of their day. */
  async saveSettings(
    caller: Principal,
    communityId: string,
    dto: DeliberationSettingsDto,
  ): Promise<DeliberationSettingsView> {
    assertRole(caller, MODERATORS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const updatedAt = new Date();
    await this.forum.saveSettings({
      _id: String(community),
      communityId: community,
      supportThreshold: dto.supportThreshold,
      updatedBy: caller.sub,
      updatedAt,
    });
    return {
      communityId,
      supportThreshold: dto.supportThreshold,
      customised: true,
      updatedBy: caller.sub,
      updatedAt: updatedAt.toISOString(),
    };
  }

  /**
   * A committee takes up a topic whose supports reached the community's threshold, once: the record's key is
   * `<topicId>:take-up`, so of two committees acting at once exactly one takes it up.
   */
  async takeUp(
    caller: Principal,
    communityId: string,
    topicId: string,
    dto: TakeUpTopicDto,
  ): Promise<TopicView> {
    const body = this.bodyOf(caller, dto.body);
    assertCommunityAccess(caller, communityId);
    const topic = await this.loadOpen(communityId, topicId);
    const [supports, threshold] = await Promise.all([
      this.forum.countSupports(topic.communityId, topic._id),
      this.thresholdOf(topic.communityId),
    ]);
    const now = new Date();
    if (isExpired(topic, now)) throw this.expired(topic);
    if (!reachesThreshold(supports, threshold)) throw this.belowThreshold(supports, threshold);
    const takeUp: TopicTakeUp = {
      _id: `${String(topic._id)}:take-up`,
      communityId: topic.communityId,
      topicId: topic._id,
      body,
      by: caller.sub,
      byName: caller.name,
      at: now,
      supports,
      threshold,
    };
    if (!(await this.forum.insertTakeUp(takeUp))) {
      const taken = await this.forum.findTakeUp(topic.communityId, topic._id);
      throw new DomainException(
        ErrorCode.DUPLICATE,
        `This topic was already taken up${taken ? ` by the ${BODY_NAMES[taken.body]}` : ''}`,
        taken ? { body: taken.body, by: taken.byName } : undefined,
      );
    }
    // Reached under a threshold lowered since the last support: taken up, it no longer expires.
    if (!topic.thresholdReachedAt) await this.forum.markThresholdReached(topic, now);
    return this.view(caller, await this.load(communityId, topicId));
  }

  /** The body that took the topic up records its response, once (key `<topicId>:response`). */
  async respond(
    caller: Principal,
    communityId: string,
    topicId: string,
    dto: TopicResponseDto,
  ): Promise<TopicView> {
    assertRole(caller, COMMITTEE_ROLES);
    assertCommunityAccess(caller, communityId);
    const topic = await this.load(communityId, topicId);
    const takeUp = await this.forum.findTakeUp(topic.communityId, topic._id);
    if (!takeUp) {
      throw new DomainException(
        ErrorCode.INVALID_TRANSITION,
        'A response is recorded only after a committee has taken the topic up',
      );
    }
    if ('refused' in actingBody(caller.roles, takeUp.body)) {
      throw new DomainException(
        ErrorCode.FORBIDDEN,
        `Only the ${BODY_NAMES[takeUp.body]}, which took this topic up, may respond to it`,
      );
    }
    const inserted = await this.forum.insertResponse({
      _id: `${String(topic._id)}:response`,
      communityId: topic.communityId,
      topicId: topic._id,
      body: takeUp.body,
      text: dto.text,
      decision: dto.decision,
      by: caller.sub,
      byName: caller.name,
      at: new Date(),
    });
    if (!inserted) throw new DomainException(ErrorCode.DUPLICATE, 'This topic already has a response');
    return this.view(caller, topic);
  }

  /** Only residents of the topic's building or grid (any resident of the community for a community topic). */
  private async assertInScope(caller: Principal, topic: Topic): Promise<void> {
    const residence =
      caller.personId && Types.ObjectId.isValid(caller.personId)
        ? await this.residences.findInCommunity(topic.communityId, new Types.ObjectId(caller.personId))
        : null;
    const home = residence && { buildingId: String(residence.buildingId), gridId: String(residence.gridId) };
    if (withinScope(topic, home)) return;
    throw new DomainException(
      ErrorCode.NOT_ELIGIBLE,
      home
        ? `Only residents of the topic's ${topic.scope} may support it`
        : 'Only residents living in this community may support its topics',
      { reason: 'outside_scope', scope: topic.scope, ...(topic.scopeId && { scopeId: topic.scopeId }) },
    );
  }

  /** A ballot is drafted only for a topic taken up at its threshold and referred to the owners by the response. */
  private async assertReferredToBallot(topic: Topic): Promise<void> {
    const [takeUp, response] = await Promise.all([
      this.forum.findTakeUp(topic.communityId, topic._id),
      this.forum.findResponse(topic.communityId, topic._id),
    ]);
    const readiness = ballotReadiness(takeUp, response);
    if (readiness.ready) return;
    if (readiness.reason === 'not_taken_up') {
      const [supports, threshold] = await Promise.all([
        this.forum.countSupports(topic.communityId, topic._id),
        this.thresholdOf(topic.communityId),
      ]);
      if (!reachesThreshold(supports, threshold)) throw this.belowThreshold(supports, threshold);
    }
    const messages = {
      not_taken_up: 'A topic goes to a ballot only after a committee took it up and responded',
      no_response: 'The committee that took this topic up has not responded yet',
      not_referred: `The committee's response did not refer this topic to a ballot (decision: ${response?.decision})`,
    };
    throw new DomainException(ErrorCode.COMMITTEE_RESPONSE_REQUIRED, messages[readiness.reason], {
      reason: readiness.reason,
      needed: TopicDecision.ReferredToBallot,
    });
  }

  private belowThreshold(supports: number, threshold: number): DomainException {
    return new DomainException(
      ErrorCode.BELOW_SUPPORT_THRESHOLD,
      `This topic has ${supports} of the ${threshold} supports it needs before a committee takes it up`,
      { supports, threshold },
    );
  }

  private expired(topic: Topic): DomainException {
    return new DomainException(ErrorCode.OUTSIDE_WINDOW, 'This topic expired before it reached the support threshold', {
      reason: 'topic_expired',
      ...(topic.expiresAt && { expiresAt: topic.expiresAt.toISOString() }),
    });
  }

  private alreadyABallot(ballotId: string | undefined): DomainException {
    return new DomainException(ErrorCode.DUPLICATE, 'This topic is already an assembly ballot', {
      reason: 'already_a_ballot',
      ...(ballotId && { ballotId }),
    });
  }

  /** The committee the caller acts for; without a request, the only one they sit on. */
  private bodyOf(caller: Principal, requested?: DeliberationBody): DeliberationBody {
    const acting = actingBody(caller.roles, requested);
    if ('body' in acting) return acting.body;
    if (acting.refused === 'ambiguous') {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Say which committee acts', [
        { field: 'body', reason: 'you sit on both committees' },
      ]);
    }
    throw new DomainException(
      ErrorCode.FORBIDDEN,
      requested
        ? `Only members of the ${BODY_NAMES[requested]} act for it`
        : "Only the residents' committee or the owners' committee takes topics up and responds",
    );
  }

  private async thresholdOf(communityId: Types.ObjectId): Promise<number> {
    return (await this.forum.findSettings(communityId))?.supportThreshold ?? DEFAULT_SUPPORT_THRESHOLD;
  }

  private async moderate(
    caller: Principal,
    topic: Topic,
    postId: string,
    post: Moderation['post'],
    dto: HidePostDto,
  ): Promise<Moderation> {
    const moderation: Moderation = {
      _id: postId,
      communityId: topic.communityId,
      topicId: topic._id,
      post,
      reason: dto.reason,
      by: caller.sub,
      at: new Date(),
    };
    if (!(await this.forum.insertModeration(moderation)))
      throw new DomainException(ErrorCode.DUPLICATE, 'This post is already hidden');
    return moderation;
  }

  private async view(caller: Principal, topic: Topic): Promise<TopicView> {
    const [supports, replies, supportedByMe, hidden, takeUp, response] = await Promise.all([
      this.forum.countSupports(topic.communityId, topic._id),
      this.forum.countReplies(topic.communityId, topic._id),
      this.forum.isSupportedBy(topic.communityId, topic._id, supporterOf(caller)),
      this.forum.moderationsOf(topic.communityId, [String(topic._id)]),
      this.forum.findTakeUp(topic.communityId, topic._id),
      this.forum.findResponse(topic.communityId, topic._id),
    ]);
    return toTopicView(caller, topic, {
      supports,
      replies,
      supportedByMe,
      hidden: hidden.get(String(topic._id)),
      ...(takeUp && { takeUp }),
      ...(response && { response }),
    });
  }

  /** The caller's grid or building, from where they are registered as living. */
  private async homeOf(caller: Principal, communityId: Types.ObjectId, scope: TopicScope): Promise<string> {
    const residence =
      caller.personId && Types.ObjectId.isValid(caller.personId)
        ? await this.residences.findInCommunity(communityId, new Types.ObjectId(caller.personId))
        : null;
    if (!residence) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, `Name the ${scope} of the topic`, [
        {
          field: 'scopeId',
          reason: `you are not registered as living in this community, so the ${scope} must be given`,
        },
      ]);
    }
    return String(scope === TopicScope.Building ? residence.buildingId : residence.gridId);
  }

  /** A topic that is not hidden: hidden topics take no more supports, replies or ballots. */
  private async loadOpen(communityId: string, topicId: string): Promise<Topic> {
    const topic = await this.load(communityId, topicId);
    const hidden = await this.forum.moderationsOf(topic.communityId, [String(topic._id)]);
    if (hidden.has(String(topic._id)))
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This topic was hidden by the moderators');
    return topic;
  }

  private async load(communityId: string, topicId: string): Promise<Topic> {
    const topic = await this.forum.findTopic({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(topicId, ErrorCode.NOT_FOUND),
    });
    if (!topic) throw new DomainException(ErrorCode.NOT_FOUND, `No topic ${topicId} in this community`);
    return topic;
  }
}
