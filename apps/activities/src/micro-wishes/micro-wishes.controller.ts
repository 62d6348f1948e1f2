import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ActivitiesRpc,
  ClaimMicroWishDto,
  ListMicroWishesQueryDto,
  MicroWishNoteDto,
  PostMicroWishDto,
  Principal,
  ReviewMicroWishDto,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { MicroWishesService } from './micro-wishes.service';

@Controller()
export class MicroWishesController {
  constructor(private readonly wishes: MicroWishesService) {}

  @MessagePattern(ActivitiesRpc.postMicroWish.subject)
  post(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.postMicroWish>) {
    return this.wishes.post(caller, req.communityId, validated(PostMicroWishDto, req.wish));
  }

  @MessagePattern(ActivitiesRpc.listMicroWishes.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.listMicroWishes>) {
    return this.wishes.list(caller, req.communityId, validated(ListMicroWishesQueryDto, req.query));
  }

  @MessagePattern(ActivitiesRpc.getMicroWish.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.getMicroWish>) {
    return this.wishes.get(caller, req.communityId, req.wishId);
  }

  @MessagePattern(ActivitiesRpc.reviewMicroWish.subject)
  review(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.reviewMicroWish>) {
    return this.wishes.review(caller, req.communityId, req.wishId, validated(ReviewMicroWishDto, req.review));
  }

  @MessagePattern(ActivitiesRpc.claimMicroWish.subject)
  claim(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.claimMicroWish>) {
    return this.wishes.claim(caller, req.communityId, req.wishId, validated(ClaimMicroWishDto, req.claim));
  }

  @MessagePattern(ActivitiesRpc.fulfilMicroWish.subject)
  fulfil(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.fulfilMicroWish>) {
    return this.wishes.fulfil(caller, req.communityId, req.wishId, validated(MicroWishNoteDto, req.note));
  }

  @MessagePattern(ActivitiesRpc.confirmMicroWish.subject)
  confirm(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.confirmMicroWish>) {
    return this.wishes.close(caller, req.communityId, req.wishId, 'confirm', validated(MicroWishNoteDto, req.note));
  }

  @MessagePattern(ActivitiesRpc.disputeMicroWish.subject)
  dispute(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ActivitiesRpc.disputeMicroWish>) {
    return this.wishes.close(caller, req.communityId, req.wishId, 'dispute', validated(MicroWishNoteDto, req.note));
  }
}
