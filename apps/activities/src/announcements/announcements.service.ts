import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  AnnouncementEvents,
  AnnouncementPage,
  AnnouncementScope,
  AnnouncementState,
  AnnouncementView,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  GridRpc,
  ListAnnouncementsQueryDto,
  PageQueryDto,
  PinAnnouncementDto,
  PostAnnouncementDto,
  Principal,
  ReadReceiptView,
  Role,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { Outbox, RpcClient } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { FilterQuery } from 'mongoose';
import { ResidencyService } from '../residents/residency.service';
import { Announcement } from './announcement.schema';
import { AnnouncementsRepository } from './announcements.repository';
import {
  Layout,
  Place,
  appliesTo,
  audienceIds,
  feedCursor,
  parseFeedCursor,
  placeKeys,
  stateAt,
  targetKeys,
} from './audience';

const SCHEDULE_SWEEP_MS = 10_000;
const STAFF = [...COMMUNITY_MANAGERS, Role.System];

const AUDIENCE_FIELD: Record<AnnouncementScope, 'areaIds' | 'gridIds' | 'buildingIds' | undefined> = {
  [AnnouncementScope.Community]: undefined,
  [AnnouncementScope.Areas]: 'areaIds',
  [AnnouncementScope.Grids]: 'gridIds',
  [AnnouncementScope.Buildings]: 'buildingIds',
};

function toView(
  a: Announcement,
  now: Date,
  extra: { readAt?: Date; readCount?: number } = {},
): AnnouncementView {
  const field = AUDIENCE_FIELD[a.scope];
  return {
    id: String(a._id),
    communityId: String(a.communityId),
    title: a.title,
    body: a.body,
    audience: { scope: a.scope, ...(field && { [field]: a.targetIds }) },
    publishAt: a.publishAt.toISOString(),
    ...(a.expiresAt && { expiresAt: a.expiresAt.toISOString() }),
    pinned: a.rank === 1,
    state: stateAt(a.publishAt, a.expiresAt, now),
    postedAt: a.postedAt.toISOString(),
    ...(extra.readAt && { readAt: extra.readAt.toISOString() }),
    ...(extra.readCount !== undefined && { readCount: extra.readCount }),
  };
}

/** Conditions of the notices in the given state at `now`. */
function inState(state: AnnouncementState, now: Date): FilterQuery<Announcement>[] {
  switch (state) {
    case AnnouncementState.Scheduled:
      return [{ publishAt: { $gt: now } }];
    case AnnouncementState.Live:
      return [
        { publishAt: { $lte: now } },
        { $or: [{ expiresAt: { $exists: false } }, { expiresAt: { $gt: now } }] },
      ];
    case AnnouncementState.Expired:
      return [{ expiresAt: { $lte: now } }];
  }
}

@Injectable()
export class AnnouncementsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private scheduling?: Promise<number>;

  constructor(
    private readonly announcements: AnnouncementsRepository,
    private readonly residencies: ResidencyService,
    private readonly rpc: RpcClient,
    private readonly outbox: Outbox,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.publishDue(new Date()), SCHEDULE_SWEEP_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.scheduling;
  }

  async post(caller: Principal, communityId: string, dto: PostAnnouncementDto): Promise<AnnouncementView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const now = new Date();
    const publishAt = dto.publishAt ? new Date(dto.publishAt) : now;
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : undefined;
    if (expiresAt && expiresAt <= publishAt) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The notice is not valid', [
        { field: 'expiresAt', reason: 'expiresAt must be after publishAt' },
      ]);
    }
    const layout = await this.layout(communityId);
    const audience = audienceIds(dto.audience, layout);
    if ('refusal' in audience) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The audience is not valid', [
        { field: 'audience', reason: audience.refusal },
      ]);
    }
    const announcement = await this.announcements.insert({
      _id: newId('announcement'),
      communityId: community,
      title: dto.title,
      body: dto.body,
      scope: dto.audience.scope,
      targetIds: audience.ids,
      targets: targetKeys(dto.audience.scope, audience.ids, layout),
      publishAt,
      ...(expiresAt && { expiresAt }),
      rank: dto.pinned ? 1 : 0,
      announced: false,
      postedBy: caller.sub,
      postedAt: now,
      outbox: [],
    });
    // A retried post answers the stored notice; announcing is conditional on `announced`, so it happens once.
    if (!announcement.announced && announcement.publishAt <= now) await this.announce(announcement);
    return toView(announcement, now, { readCount: 0 });
  }

  /** Staff: every notice, scheduled and expired too, with how many have read each. */
  async list(
    caller: Principal,
    communityId: string,
    query: ListAnnouncementsQueryDto,
  ): Promise<AnnouncementPage> {
    assertRole(caller, STAFF);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const now = new Date();
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const docs = await this.announcements.page(
      { communityId: community },
      query.state ? inState(query.state, now) : [],
      this.position(query.cursor),
      limit,
    );
    const shown = docs.slice(0, limit);
    const counts = new Map(
      (
        await this.announcements.readCounts(
          community,
          shown.map((d) => d._id),
        )
      ).map((c) => [String(c._id), c.n]),
    );
    return this.toPage(docs, limit, (a) => toView(a, now, { readCount: counts.get(String(a._id)) ?? 0 }));
  }

  /** A resident's feed: live notices that reach their building, pinned first then newest, with what they have read. */
  async feed(caller: Principal, communityId: string, page: PageQueryDto): Promise<AnnouncementPage> {
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const now = new Date();
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const place = await this.placeOf(caller, communityId);
    const docs = await this.announcements.page(
      { communityId: community, targets: { $in: placeKeys(place) } },
      inState(AnnouncementState.Live, now),
      this.position(page.cursor),
      limit,
    );
    const reads = caller.personId
      ? await this.announcements.readsOf(
          community,
          objectId(caller.personId, ErrorCode.FORBIDDEN),
          docs.slice(0, limit).map((d) => d._id),
        )
      : [];
    const readAt = new Map(reads.map((r) => [String(r.announcementId), r.readAt]));
    return this.toPage(docs, limit, (a) => toView(a, now, { readAt: readAt.get(String(a._id)) }));
  }

  async get(caller: Principal, communityId: string, announcementId: string): Promise<AnnouncementView> {
    const now = new Date();
    const announcement = await this.visible(caller, communityId, announcementId, now);
    if (hasAnyRole(caller, STAFF)) {
      const [count] = await this.announcements.readCounts(announcement.communityId, [announcement._id]);
      return toView(announcement, now, { readCount: count?.n ?? 0 });
    }
    const [read] = caller.personId
      ? await this.announcements.readsOf(
          announcement.communityId,
          objectId(caller.personId, ErrorCode.FORBIDDEN),
          [announcement._id],
        )
      : [];
    return toView(announcement, now, { readAt: read?.readAt });
  }

  async pin(
    caller: Principal,
    communityId: string,
    announcementId: string,
    dto: PinAnnouncementDto,
  ): Promise<AnnouncementView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    const announcement = await this.load(caller, communityId, announcementId);
    const rank = dto.pinned ? 1 : 0;
    if (announcement.rank !== rank) await this.announcements.setRank(announcement._id, rank);
    const [count] = await this.announcements.readCounts(announcement.communityId, [announcement._id]);
    return toView({ ...announcement, rank }, new Date(), { readCount: count?.n ?? 0 });
  }

  /** Records that the reader has read the notice; a second read changes nothing (one receipt per person). */
  async markRead(caller: Principal, communityId: string, announcementId: string): Promise<ReadReceiptView> {
    if (!caller.personId) throw new DomainException(ErrorCode.FORBIDDEN, 'Only residents keep read receipts');
    const announcement = await this.visible(caller, communityId, announcementId, new Date(), true);
    const personId = objectId(caller.personId, ErrorCode.FORBIDDEN);
    const { receipt, first } = await this.announcements.readOnce({
      _id: `${announcement._id}:${personId}`,
      communityId: announcement.communityId,
      announcementId: announcement._id,
      personId,
      readAt: new Date(),
    });
    return {
      announcementId,
      personId: String(personId),
      readAt: receipt.readAt.toISOString(),
      firstRead: first,
    };
  }

  /** Writes the published event of every due notice that has none yet; safe to run on several instances at once. */
  publishDue(now: Date): Promise<number> {
    this.scheduling ??= (async () => {
      let published = 0;
      for (const announcement of await this.announcements.dueUnannounced(now, 200)) {
        await this.announce(announcement);
        published += 1;
      }
      return published;
    })()
      .catch((error) => {
        this.logger.warn({ err: error }, 'announcement scheduling sweep failed');
        return 0;
      })
      .finally(() => (this.scheduling = undefined));
    return this.scheduling;
  }

  /** One conditional update sets `announced` and writes the published event: of several writers exactly one does. */
  private async announce(a: Announcement): Promise<void> {
    const event = newEvent(
      AnnouncementEvents.published,
      {
        announcementId: String(a._id),
        title: a.title,
        scope: a.scope,
        targetIds: a.targetIds,
        publishAt: a.publishAt.toISOString(),
        ...(a.expiresAt && { expiresAt: a.expiresAt.toISOString() }),
        pinned: a.rank === 1,
      },
      { communityId: String(a.communityId), actor: a.postedBy, correlationId: currentCorrelationId() },
    );
    if (await this.announcements.announce(a._id, event)) await this.outbox.deliver(Announcement.name, a._id);
  }

  /** The notice as the caller may see it: staff see every notice; a reader only live ones that reach them. */
  private async visible(
    caller: Principal,
    communityId: string,
    announcementId: string,
    now: Date,
    asReader = false,
  ): Promise<Announcement> {
    const announcement = await this.load(caller, communityId, announcementId);
    if (!asReader && hasAnyRole(caller, STAFF)) return announcement;
    const live = stateAt(announcement.publishAt, announcement.expiresAt, now) === AnnouncementState.Live;
    if (!live || !appliesTo(announcement.targets, await this.placeOf(caller, communityId))) {
      throw new DomainException(ErrorCode.NOT_FOUND, `No announcement ${announcementId} for you`);
    }
    return announcement;
  }

  private async placeOf(caller: Principal, communityId: string): Promise<Place | undefined> {
    if (!caller.personId) return undefined;
    const residency = await this.residencies.find(communityId, caller.personId);
    return residency
      ? { buildingId: String(residency.buildingId), gridId: String(residency.gridId) }
      : undefined;
  }

  private async layout(communityId: string): Promise<Layout> {
    const hierarchy = await this.rpc.send(GridRpc.getHierarchy, { communityId });
    const layout: Layout = { areas: new Map(), grids: new Map(), buildings: new Set() };
    for (const area of hierarchy.areas) {
      layout.areas.set(
        area.id,
        area.grids.map((g) => g.id),
      );
      for (const grid of area.grids) {
        layout.grids.set(
          grid.id,
          grid.buildings.map((b) => b.id),
        );
        for (const building of grid.buildings) layout.buildings.add(building.id);
      }
    }
    return layout;
  }

  private async load(caller: Principal, communityId: string, announcementId: string): Promise<Announcement> {
    assertCommunityAccess(caller, communityId);
    const announcement = await this.announcements.findOne({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(announcementId),
    });
    if (!announcement)
      throw new DomainException(ErrorCode.NOT_FOUND, `No announcement ${announcementId} in this community`);
    return announcement;
  }

  private position(cursor: string | undefined) {
    if (!cursor) return undefined;
    const position = parseFeedCursor(cursor);
    if (!position)
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The cursor is not valid', [
        { field: 'cursor', reason: 'not a cursor of this list' },
      ]);
    return position;
  }

  private toPage(
    docs: Announcement[],
    limit: number,
    map: (a: Announcement) => AnnouncementView,
  ): AnnouncementPage {
    const items = docs.slice(0, limit).map(map);
    if (docs.length <= limit) return { items };
    const last = docs[limit - 1];
    return {
      items,
      nextCursor: feedCursor({ rank: last.rank, publishAt: last.publishAt, id: String(last._id) }),
    };
  }
}
