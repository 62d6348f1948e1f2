import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CandidateView,
  CompositionSuggestionDto,
  CreateElectionDto,
  ElectionBallotDto,
  ElectionBallotView,
  ElectionRpc,
  ElectionView,
  NominateCandidateDto,
  NominationSuggestionDto,
  PublicNoticeDto,
  QualificationReviewDto,
  Role,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import { Roles } from '../http/access';
import { ApiSecured } from '../http/api-problems';
import { CommunityPath } from '../http/paths';
import { CandidatePath, ElectionPath } from './service-paths';

const ORGANISERS = [Role.CommunityStaff, Role.DistrictAdmin];
/** Community staff act for the community party committee when it exercises its rights. */
const PARTY_COMMITTEE = [Role.CommunityStaff, Role.DistrictAdmin];

@ApiTags('property')
@Controller('communities/:communityId/committee-elections')
export class CommitteeElectionsController {
  constructor(private readonly rpc: RpcClient) {}

  @Roles(...ORGANISERS)
  @Post()
  @ApiOperation({ summary: "Open the election of the owners' committee, with the eligibility checks to show reviewers" })
  @ApiCreatedResponse({ type: ElectionView })
  @ApiSecured(400)
  create(@Param() path: CommunityPath, @Body() body: CreateElectionDto): Promise<ElectionView> {
    return this.rpc.send(ElectionRpc.create, { communityId: path.communityId, election: body });
  }

  @Get(':electionId')
  @ApiOperation({ summary: 'The election: candidates with their eligibility checks and reviews, and every exercise of the party committee rights' })
  @ApiOkResponse({ type: ElectionView })
  @ApiSecured(400, 404)
  get(@Param() path: ElectionPath): Promise<ElectionView> {
    return this.rpc.send(ElectionRpc.get, { communityId: path.communityId, electionId: path.electionId });
  }

  @Post(':electionId/candidates')
  @ApiOperation({
    summary: 'Nominate a candidate: self-nominated, jointly by owners, or recommended by the residents’ committee',
    description: '409 DUPLICATE for a person already standing; 409 INVALID_TRANSITION once the candidates are published.',
  })
  @ApiCreatedResponse({ type: CandidateView })
  @ApiSecured(400, 404, 409)
  nominate(@Param() path: ElectionPath, @Body() body: NominateCandidateDto): Promise<CandidateView> {
    return this.rpc.send(ElectionRpc.nominate, { communityId: path.communityId, electionId: path.electionId, candidate: body });
  }

  @Roles(...PARTY_COMMITTEE)
  @Post(':electionId/nomination-suggestions')
  @ApiOperation({ summary: "The party committee's nomination suggestion right: propose candidates, with reasons" })
  @ApiCreatedResponse({ type: ElectionView })
  @ApiSecured(400, 404, 409)
  suggestNominations(@Param() path: ElectionPath, @Body() body: NominationSuggestionDto): Promise<ElectionView> {
    return this.rpc.send(ElectionRpc.suggestNominations, { communityId: path.communityId, electionId: path.electionId, suggestion: body });
  }

  @Roles(...PARTY_COMMITTEE)
  @Post(':electionId/composition-suggestions')
  @ApiOperation({ summary: "The party committee's composition suggestion right: recommend the committee's make-up, with reasons" })
  @ApiCreatedResponse({ type: ElectionView })
  @ApiSecured(400, 404, 409)
  suggestComposition(@Param() path: ElectionPath, @Body() body: CompositionSuggestionDto): Promise<ElectionView> {
    return this.rpc.send(ElectionRpc.suggestComposition, { communityId: path.communityId, electionId: path.electionId, suggestion: body });
  }

  @Roles(...PARTY_COMMITTEE)
  @Post(':electionId/candidates/:candidateId/review')
  @HttpCode(200)
  @ApiOperation({
    summary: "The party committee's qualification review right: approve or reject a candidate, with reasons",
    description: 'Once per candidate (409 DUPLICATE). Approving a candidate who fails a check is 403 NOT_ELIGIBLE; the record keeps the checks shown.',
  })
  @ApiOkResponse({ type: CandidateView })
  @ApiSecured(400, 404, 409)
  review(@Param() path: CandidatePath, @Body() body: QualificationReviewDto): Promise<CandidateView> {
    return this.rpc.send(ElectionRpc.review, { communityId: path.communityId, electionId: path.electionId, candidateId: path.candidateId, review: body });
  }

  @Roles(...ORGANISERS)
  @Post(':electionId/public-notice')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the approved candidates for public notice', description: '409 INVALID_TRANSITION while a candidate is unreviewed or fewer than two are approved.' })
  @ApiOkResponse({ type: ElectionView })
  @ApiSecured(400, 404, 409)
  publish(@Param() path: ElectionPath, @Body() body: PublicNoticeDto): Promise<ElectionView> {
    return this.rpc.send(ElectionRpc.publish, { communityId: path.communityId, electionId: path.electionId, notice: body });
  }

  @Roles(...ORGANISERS)
  @Post(':electionId/ballot')
  @ApiOperation({
    summary: "Run the election as an owners' assembly ballot (matter: electing committee members) once the notice period is over",
    description: '409 OUTSIDE_WINDOW during the notice period; the ballot is created as a draft with the published candidates as options.',
  })
  @ApiCreatedResponse({ type: ElectionBallotView })
  @ApiSecured(400, 404, 409)
  startBallot(@Param() path: ElectionPath, @Body() body: ElectionBallotDto): Promise<ElectionBallotView> {
    return this.rpc.send(ElectionRpc.startBallot, { communityId: path.communityId, electionId: path.electionId, ballot: body });
  }
}
