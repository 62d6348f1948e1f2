import { Injectable } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  GridHierarchyRpc,
  GridPosition,
  MembershipRpc,
  Principal,
  Role,
  ServiceName,
  UnreadPage,
  UnreadQueryDto,
  hasAnyRole,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, TokenService, assertCommunityAccess } from '@cg/auth';
import { RpcClient } from '@cg/messaging';
import { objectId } from '@cg/persistence';
import { AnnouncementsRepository } from './announcements.repository';
import { appliesTo } from './audience';

const FOLLOWERS = [...COMMUNITY_MANAGERS, Role.GridWorker, Role.System];
/** Pages of residents read at most per request while none of them is an unread reader. */
const MAX_RESIDENT_PAGES = 5;

/** Who of an announcement's audience has not read it: residents from membership, receipts from here. */
@Injectable()
export class AnnouncementFollowUpService {
  constructor(
    private readonly announcements: AnnouncementsRepository,
    private readonly rpc: RpcClient,
    private readonly tokens: TokenService,
  ) {}

  async unread(caller: Principal, communityId: string, announcementId: string, query: UnreadQueryDto): Promise<UnreadPage> {
    assertCommunityAccess(caller, communityId);
    if (!hasAnyRole(caller, FOLLOWERS)) await this.assertLeads(caller, communityId, query.buildingId);
    const announcement = await this.announcements.findOne({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(announcementId),
    });
    if (!announcement) throw new DomainException(ErrorCode.NOT_FOUND, `No announcement ${announcementId} in this community`);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    // The caller's right was checked above; membership is asked as this service, which may list any resident.
    const token = this.tokens.issueSystem(ServiceName.Activities);
    let cursor = query.cursor;
    for (let pages = 0; pages < MAX_RESIDENT_PAGES; pages++) {
      const residents = await this.rpc.send(
        MembershipRpc.listResidents,
        { communityId, page: { limit, ...(cursor && { cursor }), ...(query.buildingId && { buildingId: query.buildingId }) } },
        { token },
      );
      const audience = residents.items.filter((r) => !r.movedOutAt && appliesTo(announcement.targets, r));
      const read = await this.announcements.readersAmong(announcement, audience.map((r) => r.id));
      const items = audience
        .filter((r) => !read.has(r.id))
        .map((r) => ({ personId: r.id, name: r.name, unitId: r.unitId, buildingId: r.buildingId, gridId: r.gridId, relation: r.relation }));
      cursor = residents.nextCursor;
      if (items.length > 0 || !cursor) return { announcementId, items, ...(cursor && { nextCursor: cursor }) };
    }
    return { announcementId, items: [], nextCursor: cursor };
  }

  /** A building leader follows up the building they lead today, and only with that building named. */
  private async assertLeads(caller: Principal, communityId: string, buildingId: string | undefined): Promise<void> {
    if (!hasAnyRole(caller, [Role.BuildingLeader]) || !caller.personId) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only staff and building leaders follow up announcements');
    }
    if (!buildingId) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'A building leader follows up their own building: name it in buildingId');
    }
    const responsible = await this.rpc.send(GridHierarchyRpc.responsible, { communityId, buildingId, query: {} });
    const leads = responsible.staff.some(
      (s) => s.position === GridPosition.BuildingLeader && s.nodeId === buildingId && s.personId === caller.personId,
    );
    if (!leads) throw new DomainException(ErrorCode.FORBIDDEN, 'You are not the building leader of this building');
  }
}
