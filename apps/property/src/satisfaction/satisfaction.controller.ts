import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { OpenSurveyDto, Principal, PropertyServiceRpc, RpcRequest, SurveyResponseDto } from '@cg/contracts';
import { Caller, validated } from '@cg/messaging';
import { SatisfactionService } from './satisfaction.service';

@Controller()
export class SatisfactionController {
  constructor(private readonly satisfaction: SatisfactionService) {}

  @MessagePattern(PropertyServiceRpc.openSurvey.subject)
  open(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.openSurvey>) {
    return this.satisfaction.open(caller, req.communityId, validated(OpenSurveyDto, req.survey));
  }

  @MessagePattern(PropertyServiceRpc.respondToSurvey.subject)
  respond(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.respondToSurvey>) {
    return this.satisfaction.respond(caller, req.communityId, req.surveyId, validated(SurveyResponseDto, req.response));
  }

  @MessagePattern(PropertyServiceRpc.closeSurvey.subject)
  close(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.closeSurvey>) {
    return this.satisfaction.close(caller, req.communityId, req.surveyId);
  }

  @MessagePattern(PropertyServiceRpc.surveyResults.subject)
  results(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.surveyResults>) {
    return this.satisfaction.results(caller, req.communityId, req.surveyId);
  }

  @MessagePattern(PropertyServiceRpc.evaluateCompany.subject)
  evaluate(@Caller() caller: Principal, @Payload() req: RpcRequest<typeof PropertyServiceRpc.evaluateCompany>) {
    return this.satisfaction.evaluate(caller, req.communityId, req.companyId, req.period);
  }
}
