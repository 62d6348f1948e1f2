import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { isDuplicateKey } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { GridCase } from '../cases/case.schema';
import { CommunitySettingsContent } from './settings-rules';
import { CommunitySettings, HISTORY_KEPT, SettingsActor, SettingsRevision } from './settings.schema';

export type StoredSettings = Omit<CommunitySettings, 'history' | 'outbox'>;

@Injectable()
export class SettingsRepository {
  constructor(
    @InjectModel(CommunitySettings.name) private readonly settings: Model<CommunitySettings>,
    @InjectModel(GridCase.name) private readonly cases: Model<GridCase>,
  ) {}

  find(communityId: Types.ObjectId): Promise<StoredSettings | null> {
    return this.settings.findById(communityId, { history: 0, outbox: 0 }).lean<StoredSettings>().exec();
  }

  async history(communityId: Types.ObjectId): Promise<SettingsRevision[]> {
    const found = await this.settings
      .findById(communityId, { history: 1 })
      .lean<Pick<CommunitySettings, 'history'>>()
      .exec();
    return found?.history ?? [];
  }

  /**
   * Replaces the settings made on revision `seen`, with the history entry and the event in the same write: one
   * update guarded by the revision (an upsert on the community id for the first change). False when another change
   * came first.
   */
  async change(
    communityId: Types.ObjectId,
    seen: number,
    content: CommunitySettingsContent,
    by: SettingsActor,
    entry: SettingsRevision,
    event: EventEnvelope,
  ): Promise<boolean> {
    try {
      const result = await this.settings
        .updateOne(
          { _id: communityId, revision: seen },
          {
            $set: { ...content, revision: seen + 1, updatedAt: entry.at, updatedBy: by },
            $push: { history: { $each: [entry], $slice: -HISTORY_KEPT }, ...pushEvents(event).$push },
          },
          { upsert: seen === 0 },
        )
        .exec();
      return result.modifiedCount + result.upsertedCount === 1;
    } catch (error) {
      // Two first changes: the community id lets one insert; the other is stale.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Which of `codes` have cases filed under them in the community. */
  async codesInUse(communityId: Types.ObjectId, codes: string[]): Promise<Set<string>> {
    if (codes.length === 0) return new Set();
    const used = await this.cases.distinct('category', { communityId, category: { $in: codes } }).exec();
    return new Set(used.map(String));
  }
}
