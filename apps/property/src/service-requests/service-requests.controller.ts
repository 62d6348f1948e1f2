import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  OpenServiceRequestDto,
  Principal,
  PropertyServiceRpc,
  RateServiceRequestDto,
  RpcRequest,
  ServiceRequestListQueryDto,
  ServiceRequestStepDto,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { ServiceRequestsService } from './service-requests.service';

@Controller()
export class ServiceRequestsController {
  constructor(private readonly requests: ServiceRequestsService) {}

  @MessagePattern(PropertyServiceRpc.openRequest.subject)
  open(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.openRequest>) {
    return this.requests.open(caller, req.communityId, validated(OpenServiceRequestDto, req.request));
  }

  @MessagePattern(PropertyServiceRpc.getRequest.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.getRequest>) {
    return this.requests.get(caller, req.communityId, req.requestId);
  }

  @MessagePattern(PropertyServiceRpc.listRequests.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.listRequests>) {
    return this.requests.list(caller, req.communityId, validated(ServiceRequestListQueryDto, req.query));
  }

  @MessagePattern(PropertyServiceRpc.stepRequest.subject)
  step(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.stepRequest>) {
    return this.requests.step(caller, req.communityId, req.requestId, validated(ServiceRequestStepDto, req.step));
  }

  @MessagePattern(PropertyServiceRpc.rateRequest.subject)
  rate(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.rateRequest>) {
    return this.requests.rate(caller, req.communityId, req.requestId, validated(RateServiceRequestDto, req.rating));
  }
}
