import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { CompetitionMetric, Page } from '@cg/contracts';
import { CommunityFilter, PageRequest, findOneById, insertOnce, isDuplicateKey, paginate } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { Competition, DrawnBracket, MatchResult, ScoreEntry } from './competition.schema';

@Injectable()
export class CompetitionsRepository implements OnModuleInit {
  constructor(
    @InjectModel(Competition.name) private readonly competitions: Model<Competition>,
    @InjectModel(ScoreEntry.name) private readonly scores: Model<ScoreEntry>,
    @InjectModel(DrawnBracket.name) private readonly brackets: Model<DrawnBracket>,
    @InjectModel(MatchResult.name) private readonly matches: Model<MatchResult>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([
      this.competitions.createIndexes(),
      this.scores.createIndexes(),
      this.brackets.createIndexes(),
      this.matches.createIndexes(),
    ]);
  }

  /** Stores a new competition; a retried create answers the stored one. */
  async insertCompetition(competition: Competition): Promise<Competition> {
    return (await insertOnce(this.competitions, competition)).doc;
  }

  findCompetition(filter: CommunityFilter<Competition>): Promise<Competition | null> {
    return findOneById<Competition>(this.competitions, filter);
  }

  listCompetitions<V>(
    filter: CommunityFilter<Competition>,
    page: PageRequest,
    map: (c: Competition) => V,
  ): Promise<Page<V>> {
    return paginate(this.competitions, filter, page, map);
  }

  /** Competitions counting `metric` that run at `at`. */
  running(communityId: Types.ObjectId, metric: CompetitionMetric, at: Date): Promise<Competition[]> {
    return this.competitions
      .find({ communityId, metric, startsAt: { $lte: at }, endsAt: { $gte: at } })
      .lean<Competition[]>()
      .exec();
  }

  /** Inserts the entry, or returns the one already stored under its key (`inserted` false). */
  async insertScoreOnce(entry: ScoreEntry): Promise<{ entry: ScoreEntry; inserted: boolean }> {
    try {
      return { entry: (await this.scores.create(entry)).toObject(), inserted: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const stored = await this.scores.findOne({ _id: entry._id }, { outbox: 0 }).lean<ScoreEntry>().exec();
      return { entry: stored!, inserted: false };
    }
  }

  scoresOf(
    communityId: Types.ObjectId,
    competitionId: Types.ObjectId,
  ): Promise<Pick<ScoreEntry, 'buildingId' | 'points'>[]> {
    return this.scores
      .find({ communityId, competitionId }, { buildingId: 1, points: 1, _id: 0 })
      .lean<Pick<ScoreEntry, 'buildingId' | 'points'>[]>()
      .exec();
  }

  /** False when the bracket was drawn already. */
  async insertBracket(bracket: DrawnBracket): Promise<boolean> {
    try {
      await this.brackets.create(bracket);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  findBracket(communityId: Types.ObjectId, competitionId: Types.ObjectId): Promise<DrawnBracket | null> {
    return this.brackets.findOne({ _id: competitionId, communityId }).lean<DrawnBracket>().exec();
  }

  /** False when the match was decided already: of two results at once exactly one is stored. */
  async insertMatchResult(result: MatchResult): Promise<boolean> {
    try {
      await this.matches.create(result);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  matchResultsOf(communityId: Types.ObjectId, competitionId: Types.ObjectId): Promise<MatchResult[]> {
    return this.matches.find({ communityId, competitionId }, { outbox: 0 }).lean<MatchResult[]>().exec();
  }
}
