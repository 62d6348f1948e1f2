import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Page } from '@cg/contracts';
import { CommunityFilter, findOneById, isDuplicateKey, paginate } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { HoursEntry, VolunteerProfile, VolunteerSettings } from './volunteer.schema';

type Placement = { buildingId: Types.ObjectId; gridId: Types.ObjectId } | null;

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

  /**
   * Saves what the volunteer offers; the building and grid are those of residence revision `placementRevision`,
   * and replace the stored ones only when they come from a later revision, so a move handled meanwhile stays.
   */
  async saveProfile(profile: Omit<VolunteerProfile, '_id' | 'updatedAt'>): Promise<VolunteerProfile> {
    const { communityId, personId, name, skills, availability, buildingId, gridId, placementRevision } =
      profile;
    const update = {
      $set: { name, skills, availability },
      $setOnInsert: {
        ...(buildingId && { buildingId }),
        ...(gridId && { gridId }),
        placementRevision: placementRevision ?? 0,
      },
    };
    try {
      await this.profiles.updateOne({ communityId, personId }, update, { upsert: true }).exec();
    } catch (error) {
      // Two first saves at once: the other one inserted the profile, so this one updates it.
      if (!isDuplicateKey(error)) throw error;
      await this.profiles.updateOne({ communityId, personId }, { $set: update.$set }).exec();
    }
    await this.placeProfile(
      communityId,
      personId,
      placementRevision ?? 0,
      buildingId && gridId ? { buildingId, gridId } : null,
    );
    return this.profiles.findOne({ communityId, personId }).lean<VolunteerProfile>().orFail().exec();
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
    const filter: CommunityFilter<VolunteerProfile> = { communityId, ...(skill && { skills: skill }) };
    return paginate(this.profiles, filter, { cursor, limit }, (p) => p);
  }

  /**
   * Credits the entry unless its source event is already in the ledger: the unique insert decides, and the
   * entry's event is in the same insert. Returns the stored entry either way.
   */
  async insertOnce(entry: HoursEntry): Promise<{ entry: HoursEntry; inserted: boolean }> {
    try {
      return { entry: (await this.entries.create(entry)).toObject<HoursEntry>(), inserted: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.entries
        .findOne({ communityId: entry.communityId, sourceEventId: entry.sourceEventId }, { outbox: 0 })
        .lean<HoursEntry>()
        .orFail()
        .exec();
      return { entry: existing, inserted: false };
    }
  }

  findEntry(communityId: Types.ObjectId, entryId: Types.ObjectId): Promise<HoursEntry | null> {
    return findOneById<HoursEntry>(this.entries, { communityId, _id: entryId }, { outbox: 0 });
  }

  /** Hours of an entry with all its corrections, and how many corrections it has, from one read. */
  async correctionsOf(
    communityId: Types.ObjectId,
    entryId: Types.ObjectId,
  ): Promise<{ total: number; corrections: number }> {
    const found = await this.entries
      .find(
        { communityId, $or: [{ _id: entryId }, { correctsEntryId: entryId }] },
        { hoursHundredths: 1, correctsEntryId: 1 },
      )
      .lean<Pick<HoursEntry, 'hoursHundredths' | 'correctsEntryId'>[]>()
      .exec();
    return {
      total: found.reduce((sum, e) => sum + e.hoursHundredths, 0),
      corrections: found.filter((e) => e.correctsEntryId).length,
    };
  }

  listEntries(
    communityId: Types.ObjectId,
    personId: Types.ObjectId,
    cursor: string | undefined,
    limit: number,
  ): Promise<Page<HoursEntry>> {
    return paginate(this.entries, { communityId, personId }, { cursor, limit }, (e) => e, { outbox: 0 });
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
    await this.entries.updateMany(
      { communityId, personId, buildingId: { $exists: false } },
      { $set: { buildingId, gridId } },
    );
    await this.profiles.updateMany(
      { communityId, personId, buildingId: { $exists: false } },
      { $set: { buildingId, gridId } },
    );
  }

  /**
   * Moves the person's profile to where they live after residence revision `revision` (nowhere when they moved out);
   * an older revision changes nothing: one update guarded by the stored revision.
   */
  async placeProfile(
    communityId: Types.ObjectId,
    personId: Types.ObjectId,
    revision: number,
    place: Placement,
  ): Promise<void> {
    await this.profiles
      .updateOne(
        {
          communityId,
          personId,
          $or: [{ placementRevision: { $lt: revision } }, { placementRevision: { $exists: false } }],
        },
        place
          ? { $set: { ...place, placementRevision: revision } }
          : { $set: { placementRevision: revision }, $unset: { buildingId: 1, gridId: 1 } },
      )
      .exec();
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
}
