import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  NoticePathDto,
  NoticeQueryDto,
  NotificationsRpc,
  Principal,
  RpcRequest,
  SetNoticePreferencesDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { PreferencesService } from '../delivery/preferences.service';
import { InboxService } from './inbox.service';

@Controller()
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly preferenceService: PreferencesService,
  ) {}

  @MessagePattern(NotificationsRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof NotificationsRpc.list>) {
    return this.inbox.list(caller, validated(NoticeQueryDto, req.page));
  }

  @MessagePattern(NotificationsRpc.unreadCount.subject)
  unreadCount(@Caller() caller: Principal) {
    return this.inbox.unreadCount(caller);
  }

  @MessagePattern(NotificationsRpc.markRead.subject)
  markRead(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof NotificationsRpc.markRead>) {
    return this.inbox.markRead(caller, validated(NoticePathDto, { id: req.noticeId }).id);
  }

  @MessagePattern(NotificationsRpc.markAllRead.subject)
  markAllRead(@Caller() caller: Principal) {
    return this.inbox.markAllRead(caller);
  }

  @MessagePattern(NotificationsRpc.since.subject)
  since(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof NotificationsRpc.since>) {
    return this.inbox.since(caller, validated(NoticePathDto, { id: req.afterId }).id, req.limit);
  }

  @MessagePattern(NotificationsRpc.openStream.subject)
  openStream(@Caller() caller: Principal) {
    return this.inbox.openStream(caller);
  }

  @MessagePattern(NotificationsRpc.getPreferences.subject)
  preferences(@Caller() caller: Principal) {
    return this.preferenceService.get(caller);
  }

  @MessagePattern(NotificationsRpc.setPreferences.subject)
  setPreferences(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof NotificationsRpc.setPreferences>) {
    return this.preferenceService.set(caller, validated(SetNoticePreferencesDto, req.preferences));
  }
}
