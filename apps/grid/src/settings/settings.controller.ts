import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CommunitySettingsDto,
  GridSettingsRpc,
  Principal,
  RpcRequest,
  SettingsHistoryQueryDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { SettingsService } from './settings.service';

@Controller()
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @MessagePattern(GridSettingsRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridSettingsRpc.get>) {
    return this.settings.get(caller, req.communityId);
  }

  @MessagePattern(GridSettingsRpc.put.subject)
  put(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridSettingsRpc.put>) {
    return this.settings.put(caller, req.communityId, validated(CommunitySettingsDto, req.settings));
  }

  @MessagePattern(GridSettingsRpc.history.subject)
  history(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof GridSettingsRpc.history>) {
    return this.settings.history(caller, req.communityId, validated(SettingsHistoryQueryDto, req.page ?? {}));
  }
}
