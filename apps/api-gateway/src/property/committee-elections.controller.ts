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
/** The property service checks the caller's position in the community party committee with membership. */
const PARTY_COMMITTEE_ONLY = 'Only a person holding a position today in the community party committee (membership bodies) may act: anyone else 403 FORBIDDEN.';

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

  @Post(':electionId/nomination-suggestions')
  @ApiOperation({ summary: "The party committee's nomination suggestion right: propose candidates, with reasons", description: PARTY_COMMITTEE_ONLY })
  @ApiCreatedResponse({ type: ElectionView })
  @ApiSecured(400, 404, 409)
  suggestNominations(@Param() path: ElectionPath, @Body() body: NominationSuggestionDto): Promise<ElectionView> {
    return this.rpc.send(ElectionRpc.suggestNominations, { communityId: path.communityId, electionId: path.electionId, suggestion: body });
  }

  @Post(':electionId/composition-suggestions')
  @ApiOperation({ summary: "The party committee's composition suggestion right: recommend the committee's make-up, with reasons", description: PARTY_COMMITTEE_ONLY })
  @ApiCreatedResponse({ type: ElectionView })
  @ApiSecured(400, 404, 409)
  suggestComposition(@Param() path: ElectionPath, @Body() body: CompositionSuggestionDto): Promise<ElectionView> {
    return this.rpc.send(ElectionRpc.suggestComposition, { communityId: path.communityId, electionId: path.electionId, suggestion: body });
  }

  @Post(':electionId/candidates/:candidateId/review')
  @HttpCode(200)
  @ApiOperation({
    summary: "The party committee's qualification review right: approve or reject a candidate, with reasons",
    description:
      'Once per candidate (409 DUPLICATE). Approving a candidate who fails a check is 403 NOT_ELIGIBLE; the record keeps the checks shown, ' +
      'each marked as from records or as declared. ' + PARTY_COMMITTEE_ONLY,
  })
  @ApiOkResponse({ type: CandidateView })
  @ApiSecured(400, 404, 409)
  review(@Param() path: CandidatePath, @Body() body: QualificationReviewDto): Promise<CandidateView> {
    return this.rpc.send(ElectionRpc.review, { communityId: path.communityId, electionId: path.electionId, candidateId: path.candidateId, review: body });
  }

  @Roles(...ORGANISERS)
  @Post(':electionId/public-notice')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Publish the approved candidates for public notice',
    description:
      'The notice lasts at least 7 days (or the longer period the deployment configures): a shorter one is 422 NOTICE_TOO_SHORT. ' +
      '409 INVALID_TRANSITION while a candidate is unreviewed or fewer than two are approved.',
  })
  @ApiOkResponse({ type: ElectionView })
  @ApiSecured(400, 404, 409, 422)
  publish(@Param() path: ElectionPath, @Body() body: PublicNoticeDto): Promise<ElectionView> {
    return this.rpc.send(ElectionRpc.publish, { communityId: path.communityId, electionId: path.electionId, notice: body });
  }

  @Roles(...ORGANISERS)
  @Post(':electionId/ballot')
  @ApiOperation({
    summary: "Run the election as an owners' assembly ballot (matter: electing committee members) once the notice period is over",
    description:
      '409 OUTSIDE_WINDOW during the notice period. The ballot is created as a draft with the published candidates: each owner votes ' +
      'for, against or abstain on every one; a candidate is elected only with more than half of the participating area and owners.',
  })
  @ApiCreatedResponse({ type: ElectionBallotView })
  @ApiSecured(400, 404, 409)
  startBallot(@Param() path: ElectionPath, @Body() body: ElectionBallotDto): Promise<ElectionBallotView> {
    return this.rpc.send(ElectionRpc.startBallot, { communityId: path.communityId, electionId: path.electionId, ballot: body });
  }
}
