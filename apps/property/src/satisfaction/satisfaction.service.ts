import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  CompanyEvaluationView,
  DomainException,
  ErrorCode,
  GridSettingsEvents,
  OpenSurveyDto,
  PERIOD_PATTERN,
  Principal,
  Role,
  SurveyReceipt,
  SurveyResponseDto,
  SurveyResultsView,
  SurveyStatus,
  SurveyView,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { DurableConsumers } from '@cg/messaging';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { CompaniesService } from '../companies/companies.service';
import { ResidencyRepository } from '@cg/residency';
import { ServiceRequestsRepository } from '../service-requests/service-requests.repository';
import { evaluate, periodRange, surveyResults } from './evaluation';
import { SatisfactionRepository } from './satisfaction.repository';
import { Survey } from './survey.schema';

/** Who runs surveys: community staff, with the owners' committee. */
const SURVEY_ORGANISERS = [...COMMUNITY_MANAGERS, Role.OwnersCommitteeMember];
/** Who reads results and evaluations: the organisers and the company itself. */
const RESULT_READERS = [...SURVEY_ORGANISERS, Role.PropertyManager];

function toSurveyView(survey: Survey): SurveyView {
  return {
    id: String(survey._id),
    communityId: String(survey.communityId),
    companyId: String(survey.companyId),
    period: survey.period,
    status: survey.status,
    openedAt: survey.openedAt.toISOString(),
    ...(survey.closedAt && { closedAt: survey.closedAt.toISOString() }),
  };
}

/** Property's copy of the evaluation weights each community sets in grid. */
export const EVALUATION_WEIGHTS_CONSUMER = 'property-evaluation-weights';

@Injectable()
export class SatisfactionService implements OnApplicationBootstrap {
  constructor(
    private readonly satisfaction: SatisfactionRepository,
    private readonly companies: CompaniesService,
    private readonly residences: ResidencyRepository,
    private readonly requests: ServiceRequestsRepository,
    private readonly consumers: DurableConsumers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: EVALUATION_WEIGHTS_CONSUMER,
      event: GridSettingsEvents.changed,
      handle: ({ communityId, data }) =>
        this.satisfaction.keepEvaluationWeights({ _id: new Types.ObjectId(communityId), revision: data.revision, ...data.evaluationWeights }),
    });
  }

  /** A survey of a company for a period; by default the company under contract at the end of the period. */
  async open(caller: Principal, communityId: string, dto: OpenSurveyDto): Promise<SurveyView> {
    assertRole(caller, SURVEY_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    let companyId: Types.ObjectId;
    if (dto.companyId) {
      companyId = (await this.companies.company(dto.companyId))._id;
    } else {
      const contract = await this.companies.contractOn(community, new Date(periodRange(dto.period).to.getTime() - 1));
      if (!contract) {
        throw new DomainException(ErrorCode.VALIDATION_FAILED, 'No company was under contract at the end of this period', [
          { field: 'companyId', reason: 'name the company to survey' },
        ]);
      }
      companyId = contract.companyId;
    }
    const survey = await this.satisfaction.insertSurvey({
      _id: newId('survey'),
      communityId: community,
      companyId,
      period: dto.period,
      status: SurveyStatus.Open,
      openedBy: caller.sub,
      openedAt: new Date(),
    });
    return toSurveyView(survey);
  }

  /** One answer per resident, counted for the building they live in. */
  async respond(caller: Principal, communityId: string, surveyId: string, dto: SurveyResponseDto): Promise<SurveyReceipt> {
    assertCommunityAccess(caller, communityId);
    const survey = await this.load(communityId, surveyId);
    if (survey.status !== SurveyStatus.Open) throw new DomainException(ErrorCode.OUTSIDE_WINDOW, 'This survey is closed');
    const residence = caller.personId
      ? await this.residences.findInCommunity(survey.communityId, objectId(caller.personId, ErrorCode.NOT_ELIGIBLE))
      : null;
    if (!residence) throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'Only residents registered in this community can answer');
    const response = await this.satisfaction.insertResponse({
      _id: newId('survey-response'),
      communityId: survey.communityId,
      surveyId: survey._id,
      personId: caller.personId!,
      buildingId: String(residence.buildingId),
      score: dto.score,
      ...(dto.comment && { comment: dto.comment }),
      respondedAt: new Date(),
    });
    return { surveyId, buildingId: response.buildingId, score: response.score, respondedAt: response.respondedAt.toISOString() };
  }

  async close(caller: Principal, communityId: string, surveyId: string): Promise<SurveyView> {
    assertRole(caller, SURVEY_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const survey = await this.load(communityId, surveyId);
    const closedAt = new Date();
    if (!(await this.satisfaction.closeSurvey(survey, closedAt))) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This survey is already closed');
    }
    return toSurveyView({ ...survey, status: SurveyStatus.Closed, closedAt });
  }

  async results(caller: Principal, communityId: string, surveyId: string): Promise<SurveyResultsView> {
    assertRole(caller, RESULT_READERS);
    assertCommunityAccess(caller, communityId);
    const survey = await this.load(communityId, surveyId);
    const responses = await this.satisfaction.responsesOf(survey.communityId, survey._id);
    return { survey: toSurveyView(survey), ...surveyResults(responses) };
  }

  /** The company's evaluation for a period: the period's survey, and the requests opened in the period. */
  async evaluate(caller: Principal, communityId: string, companyId: string, period: string): Promise<CompanyEvaluationView> {
    assertRole(caller, RESULT_READERS);
    assertCommunityAccess(caller, communityId);
    if (!PERIOD_PATTERN.test(period)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Not a period', [{ field: 'period', reason: 'a month (2025-06) or a quarter (2025-Q2)' }]);
    }
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const company = await this.companies.company(companyId);
    const { from, to } = periodRange(period);
    const [requests, survey] = await Promise.all([
      this.requests.openedBetween(community, company._id, from, to),
      this.satisfaction.findSurvey({ communityId: community, companyId: company._id, period }),
    ]);
    const scores = survey ? await this.satisfaction.scoreTotals(community, survey._id) : { responses: 0, scoreSum: 0 };
    const resolved = requests.filter((r) => r.resolvedAt);
    const rated = requests.filter((r) => r.rating);
    const inputs = {
      surveyScoreSum: scores.scoreSum,
      surveyResponses: scores.responses,
      resolved: resolved.length,
      resolvedOnTime: resolved.filter((r) => r.resolvedAt! <= r.resolveBy).length,
      ratingSum: rated.reduce((s, r) => s + r.rating!.score, 0),
      ratings: rated.length,
    };
    const weights = await this.satisfaction.evaluationWeights(community);
    const evaluation = evaluate(inputs, weights ?? undefined);
    return {
      communityId,
      companyId,
      period,
      ...evaluation,
      requestsOpened: requests.length,
      requestsResolved: inputs.resolved,
      requestsResolvedOnTime: inputs.resolvedOnTime,
      ratings: inputs.ratings,
      surveyResponses: inputs.surveyResponses,
    };
  }

  private async load(communityId: string, surveyId: string): Promise<Survey> {
    const survey = await this.satisfaction.findSurvey({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(surveyId, ErrorCode.NOT_FOUND),
    });
    if (!survey) throw new DomainException(ErrorCode.NOT_FOUND, `No survey ${surveyId} in this community`);
    return survey;
  }
}
