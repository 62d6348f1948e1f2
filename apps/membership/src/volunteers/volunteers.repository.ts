import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { HoursEntry, VolunteerProfile, VolunteerSettings } from './volunteer.schema';

@Injectable()
export class VolunteersRepository implements OnModuleInit {
  constructor(
    @InjectModel(VolunteerProfile.name) private readonly profiles: Model<VolunteerProfile>,
    @InjectModel(HoursEntry.name) private readonly entries: Model<HoursEntry>,
    @InjectModel(VolunteerSettings.name) private readonly settings: Model<VolunteerSettings>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([
      this.profiles.createIndexes(),
      this.entries.createIndexes(),
      this.settings.createIndexes(),
    ]);
  }

  saveProfile(profile: Omit<VolunteerProfile, '_id' | 'updatedAt'>): Promise<VolunteerProfile> {
    const { communityId, personId, ...fields } = profile;
    return this.profiles
      .findOneAndUpdate({ communityId, personId }, { $set: fields }, { upsert: true, new: true })
      .lean<VolunteerProfile>()
      .orFail()
      .exec();
  }

  findProfile(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<VolunteerProfile | null> {
    return this.profiles.findOne({ communityId, personId }).lean<VolunteerProfile>().exec();
  }

  listProfiles(
    communityId: Types.ObjectId,
    skill: string | undefined,
    cursor: string | undefined,
    limit: number,
  ) {
    const filter: CommunityFilter<VolunteerProfile> = {
      communityId,
      ...(skill && { skills: skill }),
      ...pageFilter(cursor),
    };
    return this.profiles
      .find(filter)
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<VolunteerProfile[]>()
      .exec();
  }

  /** Inserts the entry unless its source event is already in the ledger; returns the stored one either way. */
  async insertOnce(entry: HoursEntry): Promise<{ entry: HoursEntry; inserted: boolean }> {
    try {
      return { entry: (await this.entries.create(entry)).toObject(), inserted: true };
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const existing = await this.entries
        .findOne({ communityId: entry.communityId, sourceEventId: entry.sourceEventId }, { outbox: 0 })
        .lean<HoursEntry>()
        .orFail()
        .exec();
      return { entry: existing, inserted: false };
    }
  }

  findEntry(communityId: Types.ObjectId, entryId: Types.ObjectId): Promise<HoursEntry | null> {
    return this.entries.findOne({ communityId, _id: entryId }, { outbox: 0 }).lean<HoursEntry>().exec();
  }

  /** Hours of an entry with all its corrections. */
  async entryTotal(communityId: Types.ObjectId, entryId: Types.ObjectId): Promise<number> {
    const rows = await this.entries
      .aggregate<{ total: number }>([
        { $match: { communityId, $or: [{ _id: entryId }, { correctsEntryId: entryId }] } },
        { $group: { _id: null, total: { $sum: '$hoursHundredths' } } },
      ])
      .exec();
    return rows[0]?.total ?? 0;
  }

  listEntries(
    communityId: Types.ObjectId,
    personId: Types.ObjectId,
    cursor: string | undefined,
    limit: number,
  ) {
    return this.entries
      .find({ communityId, personId, ...pageFilter(cursor) }, { outbox: 0 })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<HoursEntry[]>()
      .exec();
  }

  async personTotal(communityId: Types.ObjectId, personId: Types.ObjectId): Promise<number> {
    const rows = await this.entries
      .aggregate<{ total: number }>([
        { $match: { communityId, personId } },
        { $group: { _id: null, total: { $sum: '$hoursHundredths' } } },
      ])
      .exec();
    return rows[0]?.total ?? 0;
  }

  /** Hours per person within a building, a grid or the whole community. */
  totalsByPerson(filter: CommunityFilter<HoursEntry>) {
    return this.entries
      .aggregate<{ _id: Types.ObjectId; total: number }>([
        { $match: filter },
        { $group: { _id: '$personId', total: { $sum: '$hoursHundredths' } } },
      ])
      .exec();
  }

  /** Entries recorded before the person's residence was known get their building and grid now. */
  async placePerson(
    communityId: Types.ObjectId,
    personId: Types.ObjectId,
    buildingId: Types.ObjectId,
    gridId: Types.ObjectId,
  ) {
    const unplaced = { communityId, personId, buildingId: { $exists: false } };
    // FerretDB v1 rewrites whole documents on update, so the outbox relay clearing an entry at the same moment can
    // undo this change; check and repeat until every entry of the person is placed.
    for (let attempt = 0; attempt < 10; attempt++) {
      await this.entries.updateMany(unplaced, { $set: { buildingId, gridId } });
      if ((await this.entries.countDocuments(unplaced)) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
    }
    await this.profiles.updateMany(
      { communityId, personId, buildingId: { $exists: false } },
      { $set: { buildingId, gridId } },
    );
  }

  /**
   * Moves the person's profile to where they live after residence revision `revision` (nowhere when they moved out);
   * an older revision changes nothing. Callers hold the person's placement lock.
   */
  async placeProfile(
    communityId: Types.ObjectId,
    personId: Types.ObjectId,
    revision: number,
    place: { buildingId: Types.ObjectId; gridId: Types.ObjectId } | null,
  ): Promise<void> {
    const profile = await this.findProfile(communityId, personId);
    if (!profile || (profile.placementRevision ?? 0) >= revision) return;
    await this.profiles.updateOne(
      { _id: profile._id },
      place
        ? { $set: { ...place, placementRevision: revision } }
        : { $set: { placementRevision: revision }, $unset: { buildingId: 1, gridId: 1 } },
    );
  }

  findSettings(communityId: Types.ObjectId): Promise<VolunteerSettings | null> {
    return this.settings.findOne({ _id: communityId, communityId }).lean<VolunteerSettings>().exec();
  }

  saveSettings(settings: VolunteerSettings): Promise<VolunteerSettings> {
    const { _id, ...fields } = settings;
    return this.settings
      .findOneAndUpdate(
        { _id, communityId: settings.communityId },
        { $set: fields },
        { upsert: true, new: true },
      )
      .lean<VolunteerSettings>()
      .orFail()
      .exec();
  }

  /** The raw ledger collection, for the outbox relay. */
  get ledgerCollection(): Collection {
    return this.entries.collection as unknown as Collection;
  }
}
