import { Injectable } from '@nestjs/common';
import {
  BracketView,
  CompetitionEvents,
  CompetitionFormat,
  CompetitionPage,
  CompetitionView,
  CreateCompetitionDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  DrawBracketDto,
  ErrorCode,
  CompetitionGridLeaderboardView,
  GridRpc,
  CompetitionLeaderboardQueryDto,
  CompetitionLeaderboardView,
  MatchStatus,
  PageQueryDto,
  Principal,
  RecordCompetitionResultDto,
  RecordMatchResultDto,
  Role,
  ScoreEntryView,
  ScoreSource,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { Outbox, RpcClient } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { formatHours, parseHours } from '../volunteering/hours';
import { Bracket, Slot, loserOf, matchResultRefusal, resolveBracket, roundName } from './bracket';
import { Competition, MatchResult, ScoreEntry } from './competition.schema';
import { CompetitionsRepository } from './competitions.repository';
import { Team, rankGrids, rankTeams } from './standings';

/** Those who run competitions and enter results: community staff and grid workers. */
const ORGANISERS = [...COMMUNITY_MANAGERS, Role.GridWorker];

function toView(c: Competition, teamCount: number): CompetitionView {
  return {
    id: String(c._id),
    communityId: String(c.communityId),
    title: c.title,
    ...(c.description && { description: c.description }),
    metric: c.metric,
    format: c.format,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    teamCount,
    ...(c.gridIds.length > 0 && { gridIds: c.gridIds }),
    ...(c.activityIds.length > 0 && { activityIds: c.activityIds }),
    createdAt: c.createdAt.toISOString(),
  };
}

function toEntryView(e: ScoreEntry, firstRecorded: boolean): ScoreEntryView {
  return {
    competitionId: String(e.competitionId),
    buildingId: e.buildingId,
    source: e.source,
    points: formatHours(e.points),
    ...(e.resultKey && { resultKey: e.resultKey }),
    ...(e.note && { note: e.note }),
    recordedAt: e.recordedAt.toISOString(),
    firstRecorded,
  };
}

@Injectable()
export class CompetitionsService {
  constructor(
    private readonly competitions: CompetitionsRepository,
    private readonly rpc: RpcClient,
    private readonly outbox: Outbox,
  ) {}

  /** Creates the competition with its teams: every building of the community, or of the listed grids. */
  async create(caller: Principal, communityId: string, dto: CreateCompetitionDto): Promise<CompetitionView> {
    assertRole(caller, ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const [startsAt, endsAt] = [new Date(dto.startsAt), new Date(dto.endsAt)];
    if (endsAt <= startsAt) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The competition is not valid', [
        { field: 'endsAt', reason: 'endsAt must be after startsAt' },
      ]);
    }
    const hierarchy = await this.rpc.send(GridRpc.getHierarchy, { communityId });
    const grids = hierarchy.areas.flatMap((a) => a.grids);
    const wanted = dto.gridIds ?? [];
    const unknown = wanted.filter((id) => !grids.some((g) => g.id === id));
    if (unknown.length > 0) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The competition is not valid', [
        { field: 'gridIds', reason: `Not grids of this community: ${unknown.join(', ')}` },
      ]);
    }
    const teams: Team[] = grids
      .filter((g) => wanted.length === 0 || wanted.includes(g.id))
      .flatMap((g) => g.buildings.map((b) => ({ buildingId: b.id, buildingCode: b.code, gridId: g.id })))
      .sort((a, b) => a.buildingCode.localeCompare(b.buildingCode));
    if (teams.length < 2) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'A competition needs at least two buildings', [
        { field: 'gridIds', reason: 'fewer than two buildings take part' },
      ]);
    }
    const competition = await this.competitions.insertCompetition({
      _id: newId('competition'),
      communityId: community,
      title: dto.title,
      ...(dto.description && { description: dto.description }),
      metric: dto.metric,
      format: dto.format,
      startsAt,
      endsAt,
      teams,
      gridIds: wanted,
      activityIds: dto.activityIds ?? [],
      createdBy: caller.sub,
      createdAt: new Date(),
    });
    return toView(competition, competition.teams.length);
  }

  async list(caller: Principal, communityId: string, page: PageQueryDto): Promise<CompetitionPage> {
    assertCommunityAccess(caller, communityId);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    return this.competitions.listCompetitions(
      { communityId: objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND) },
      { cursor: page.cursor, limit },
      (c) => toView(c, c.teams.length),
    );
  }

  async get(caller: Principal, communityId: string, competitionId: string): Promise<CompetitionView> {
    const competition = await this.load(caller, communityId, competitionId);
    return toView(competition, competition.teams.length);
  }

  /** Staff enter a result for a building; the same result key again records nothing new. */
  async recordResult(
    caller: Principal,
    communityId: string,
    competitionId: string,
    dto: RecordCompetitionResultDto,
  ): Promise<ScoreEntryView> {
    assertRole(caller, ORGANISERS);
    const competition = await this.load(caller, communityId, competitionId);
    if (!competition.teams.some((t) => t.buildingId === dto.buildingId)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'That building does not take part', [
        { field: 'buildingId', reason: 'not a team of this competition' },
      ]);
    }
    const points = parseHours(dto.points);
    const recordedAt = new Date();
    const sourceKey = `result:${dto.resultKey}`;
    const { entry, inserted } = await this.competitions.insertScoreOnce({
      _id: `${competition._id}:${sourceKey}`,
      communityId: competition.communityId,
      competitionId: competition._id,
      buildingId: dto.buildingId,
      source: ScoreSource.Result,
      sourceKey,
      points,
      resultKey: dto.resultKey,
      ...(dto.note && { note: dto.note }),
      recordedBy: caller.sub,
      recordedAt,
      outbox: [
        newEvent(
          CompetitionEvents.resultRecorded,
          {
            competitionId,
            kind: 'score',
            buildingId: dto.buildingId,
            points: formatHours(points),
            resultKey: dto.resultKey,
            recordedAt: recordedAt.toISOString(),
          },
          { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
        ),
      ],
    });
    if (inserted) {
      await this.outbox.deliver(ScoreEntry.name, entry._id);
    } else if (entry.buildingId !== dto.buildingId || entry.points !== points) {
      throw new DomainException(
        ErrorCode.DUPLICATE,
        `Result ${dto.resultKey} was recorded with other figures`,
      );
    }
    return toEntryView(entry, inserted);
  }

  /** Buildings ranked by score; with a grid, the buildings of that grid ranked among themselves. */
  async leaderboard(
    caller: Principal,
    communityId: string,
    competitionId: string,
    query: CompetitionLeaderboardQueryDto,
  ): Promise<CompetitionLeaderboardView> {
    const competition = await this.load(caller, communityId, competitionId);
    const teams = query.gridId
      ? competition.teams.filter((t) => t.gridId === query.gridId)
      : competition.teams;
    if (teams.length === 0)
      throw new DomainException(ErrorCode.NOT_FOUND, `No building of grid ${query.gridId} takes part`);
    const standings = rankTeams(
      teams,
      await this.competitions.scoresOf(competition.communityId, competition._id),
    );
    return {
      competitionId,
      ...(query.gridId && { gridId: query.gridId }),
      standings: standings.map((s) => ({ ...s, score: formatHours(s.score) })),
    };
  }

  /** Grids ranked by the sum of their buildings' scores. */
  async gridLeaderboard(
    caller: Principal,
    communityId: string,
    competitionId: string,
  ): Promise<CompetitionGridLeaderboardView> {
    const competition = await this.load(caller, communityId, competitionId);
    const standings = rankGrids(
      rankTeams(
        competition.teams,
        await this.competitions.scoresOf(competition.communityId, competition._id),
      ),
    );
    return { competitionId, standings: standings.map((s) => ({ ...s, score: formatHours(s.score) })) };
  }

  /** Draws the knockout bracket once: seeds as given, else by the leaderboard then building code. */
  async drawBracket(
    caller: Principal,
    communityId: string,
    competitionId: string,
    dto: DrawBracketDto,
  ): Promise<BracketView> {
    assertRole(caller, ORGANISERS);
    const competition = await this.knockout(caller, communityId, competitionId);
    let seeds: string[];
    if (dto.seedBuildingIds) {
      const teams = new Set(competition.teams.map((t) => t.buildingId));
      if (dto.seedBuildingIds.length !== teams.size || !dto.seedBuildingIds.every((id) => teams.has(id))) {
        throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The seeding is not valid', [
          { field: 'seedBuildingIds', reason: 'must list every team once' },
        ]);
      }
      seeds = dto.seedBuildingIds;
    } else {
      seeds = rankTeams(
        competition.teams,
        await this.competitions.scoresOf(competition.communityId, competition._id),
      ).map((s) => s.buildingId);
    }
    const drawn = await this.competitions.insertBracket({
      _id: competition._id,
      communityId: competition.communityId,
      seeds,
      drawnBy: caller.sub,
      drawnAt: new Date(),
    });
    if (!drawn)
      throw new DomainException(ErrorCode.ALREADY_TAKEN, 'The bracket of this competition is drawn already');
    return this.bracketView(competition, seeds);
  }

  async getBracket(caller: Principal, communityId: string, competitionId: string): Promise<BracketView> {
    const competition = await this.knockout(caller, communityId, competitionId);
    return this.bracketView(competition, await this.seeds(competition));
  }

  /** Staff record who won a match; a match is decided once, and a later round waits for its earlier matches. */
  async recordMatch(
    caller: Principal,
    communityId: string,
    competitionId: string,
    matchKey: string,
    dto: RecordMatchResultDto,
  ): Promise<BracketView> {
    assertRole(caller, ORGANISERS);
    const competition = await this.knockout(caller, communityId, competitionId);
    const seeds = await this.seeds(competition);
    const { bracket } = await this.resolve(competition, seeds);
    const refusal = matchResultRefusal(bracket, matchKey, dto.winnerBuildingId);
    if (refusal) {
      const code = {
        unknown: ErrorCode.NOT_FOUND,
        bye: ErrorCode.INVALID_TRANSITION,
        pending: ErrorCode.INVALID_TRANSITION,
        decided: ErrorCode.ALREADY_TAKEN,
        not_playing: ErrorCode.VALIDATION_FAILED,
      }[refusal.kind];
      throw new DomainException(code, refusal.message);
    }
    const recordedAt = new Date();
    const loser = loserOf(bracket, matchKey, dto.winnerBuildingId)!;
    const round = Number(/^R(\d+)/.exec(matchKey)![1]);
    const inserted = await this.competitions.insertMatchResult({
      _id: `${competition._id}:${matchKey}`,
      communityId: competition.communityId,
      competitionId: competition._id,
      matchKey,
      winnerBuildingId: dto.winnerBuildingId,
      loserBuildingId: loser,
      ...(dto.score && { score: dto.score }),
      recordedBy: caller.sub,
      recordedAt,
      outbox: [
        newEvent(
          CompetitionEvents.resultRecorded,
          {
            competitionId,
            kind: 'match',
            buildingId: dto.winnerBuildingId,
            matchKey,
            round,
            loserBuildingId: loser,
            ...(round === bracket.rounds.length && { champion: true }),
            recordedAt: recordedAt.toISOString(),
          },
          { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
        ),
      ],
    });
    if (!inserted) throw new DomainException(ErrorCode.ALREADY_TAKEN, `Match ${matchKey} is already decided`);
    await this.outbox.deliver(MatchResult.name, `${competition._id}:${matchKey}`);
    return this.bracketView(competition, seeds);
  }

  private async seeds(competition: Competition): Promise<string[]> {
    const drawn = await this.competitions.findBracket(competition.communityId, competition._id);
    if (!drawn)
      throw new DomainException(
        ErrorCode.INVALID_TRANSITION,
        'The bracket of this competition is not drawn yet',
      );
    return drawn.seeds;
  }

  private async resolve(
    competition: Competition,
    seeds: string[],
  ): Promise<{ bracket: Bracket; scores: Map<string, string> }> {
    const results = await this.competitions.matchResultsOf(competition.communityId, competition._id);
    const bracket = resolveBracket(seeds, new Map(results.map((r) => [r.matchKey, r.winnerBuildingId])));
    return { bracket, scores: new Map(results.filter((r) => r.score).map((r) => [r.matchKey, r.score!])) };
  }

  private async bracketView(competition: Competition, seeds: string[]): Promise<BracketView> {
    const { bracket, scores } = await this.resolve(competition, seeds);
    const codes = new Map(competition.teams.map((t) => [t.buildingId, t.buildingCode]));
    const slot = (s: Slot | undefined) =>
      s && { buildingId: s.team, buildingCode: codes.get(s.team) ?? '', seed: s.seed };
    return {
      competitionId: String(competition._id),
      size: bracket.size,
      teamCount: bracket.teamCount,
      byes: bracket.byes,
      rounds: bracket.rounds.map((matches, i) => ({
        round: i + 1,
        name: roundName(i + 1, bracket.rounds.length),
        matches: matches.map((m) => ({
          key: m.key,
          round: m.round,
          index: m.index,
          status: m.state as MatchStatus,
          ...(m.home && { home: slot(m.home) }),
          ...(m.away && { away: slot(m.away) }),
          ...(m.winner && { winnerBuildingId: m.winner.team }),
          ...(scores.has(m.key) && { score: scores.get(m.key) }),
        })),
      })),
      ...(bracket.champion && { championBuildingId: bracket.champion.team }),
    };
  }

  private async knockout(
    caller: Principal,
    communityId: string,
    competitionId: string,
  ): Promise<Competition> {
    const competition = await this.load(caller, communityId, competitionId);
    if (competition.format !== CompetitionFormat.Knockout) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'Only a knockout competition has a bracket');
    }
    return competition;
  }

  private async load(caller: Principal, communityId: string, competitionId: string): Promise<Competition> {
    assertCommunityAccess(caller, communityId);
    const competition = await this.competitions.findCompetition({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(competitionId),
    });
    if (!competition)
      throw new DomainException(ErrorCode.NOT_FOUND, `No competition ${competitionId} in this community`);
    return competition;
  }
}
