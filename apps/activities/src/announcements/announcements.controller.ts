import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AnnouncementsRpc,
  ListAnnouncementsQueryDto,
  PageQueryDto,
  PinAnnouncementDto,
  PostAnnouncementDto,
  Principal,
  RpcRequest,
  UnreadQueryDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { AnnouncementFollowUpService } from './announcement-follow-up.service';
import { AnnouncementsService } from './announcements.service';

@Controller()
export class AnnouncementsController {
  constructor(
    private readonly announcements: AnnouncementsService,
    private readonly followUp: AnnouncementFollowUpService,
  ) {}

  @MessagePattern(AnnouncementsRpc.post.subject)
  post(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof AnnouncementsRpc.post>) {
    return this.announcements.post(caller, req.communityId, validated(PostAnnouncementDto, req.announcement));
  }

  @MessagePattern(AnnouncementsRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof AnnouncementsRpc.list>) {
    return this.announcements.list(caller, req.communityId, validated(ListAnnouncementsQueryDto, req.query));
  }

  @MessagePattern(AnnouncementsRpc.feed.subject)
  feed(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof AnnouncementsRpc.feed>) {
    return this.announcements.feed(caller, req.communityId, validated(PageQueryDto, req.page));
  }

  @MessagePattern(AnnouncementsRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof AnnouncementsRpc.get>) {
    return this.announcements.get(caller, req.communityId, req.announcementId);
  }

  @MessagePattern(AnnouncementsRpc.pin.subject)
  pin(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof AnnouncementsRpc.pin>) {
    return this.announcements.pin(
      caller,
      req.communityId,
      req.announcementId,
      validated(PinAnnouncementDto, req.pin),
    );
  }

  @MessagePattern(AnnouncementsRpc.markRead.subject)
  markRead(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof AnnouncementsRpc.markRead>) {
    return this.announcements.markRead(caller, req.communityId, req.announcementId);
  }

  @MessagePattern(AnnouncementsRpc.unread.subject)
  unread(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof AnnouncementsRpc.unread>) {
    return this.followUp.unread(caller, req.communityId, req.announcementId, validated(UnreadQueryDto, req.query));
  }
}
