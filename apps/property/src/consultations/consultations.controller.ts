import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AnswerConsultationDto,
  AskConsultationDto,
  ConsultationDecisionDto,
  ConsultationListQueryDto,
  ConsultationRpc,
  Principal,
  RpcRequest,
} from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { ConsultationsService } from './consultations.service';

@Controller()
export class ConsultationsController {
  constructor(private readonly consultations: ConsultationsService) {}

  @MessagePattern(ConsultationRpc.ask.subject)
  ask(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ConsultationRpc.ask>) {
    return this.consultations.ask(caller, req.communityId, validated(AskConsultationDto, req.consultation));
  }

  @MessagePattern(ConsultationRpc.get.subject)
  get(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ConsultationRpc.get>) {
    return this.consultations.get(caller, req.communityId, req.consultationId);
  }

  @MessagePattern(ConsultationRpc.list.subject)
  list(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ConsultationRpc.list>) {
    return this.consultations.list(caller, req.communityId, validated(ConsultationListQueryDto, req.query));
  }

  @MessagePattern(ConsultationRpc.answer.subject)
  answer(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ConsultationRpc.answer>) {
    return this.consultations.answer(caller, req.communityId, req.consultationId, validated(AnswerConsultationDto, req.answer));
  }

  @MessagePattern(ConsultationRpc.decide.subject)
  decide(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ConsultationRpc.decide>) {
    return this.consultations.decide(caller, req.communityId, req.consultationId, validated(ConsultationDecisionDto, req.decision));
  }

  @MessagePattern(ConsultationRpc.withdraw.subject)
  withdraw(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof ConsultationRpc.withdraw>) {
    return this.consultations.withdraw(caller, req.communityId, req.consultationId);
  }
}
