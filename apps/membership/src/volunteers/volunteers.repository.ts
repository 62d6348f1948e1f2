import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Collection } from 'mongodb';
import { Model, Types } from 'mongoose';
import { HoursEntry, HoursEventRecord, VolunteerProfile, VolunteerSettings } from './volunteer.schema';

/** An entry as stored; entries written before events moved to their own records may still carry an outbox. */
export type StoredHoursEntry = HoursEntry & { outbox?: HoursEventRecord['outbox'] };

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

@Injectable()
export class VolunteersRepository implements OnModuleInit {
  constructor(
    @InjectModel(VolunteerProfile.name) private readonly profiles: Model<VolunteerProfile>,
    @InjectModel(HoursEntry.name) private readonly entries: Model<HoursEntry>,
    @InjectModel(HoursEventRecord.name) private readonly eventRecords: Model<HoursEventRecord>,
    @InjectModel(VolunteerSettings.name) private readonly settings: Model<VolunteerSettings>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([
      this.profiles.createIndexes(),
      this.entries.createIndexes(),
      this.eventRecords.createIndexes(),
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

  /**
   * Inserts the entry unless its source event is already in the ledger; returns the stored one either way (with
   * the outbox an older entry may still carry, so its event record can take over those very events).
   */
  async insertOnce(entry: HoursEntry): Promise<{ entry: StoredHoursEntry; inserted: boolean }> {
    try {
      return { entry: (await this.entries.create(entry)).toObject(), inserted: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.entries
        .findOne({ communityId: entry.communityId, sourceEventId: entry.sourceEventId })
        .lean<StoredHoursEntry>()
        .orFail()
        .exec();
      return { entry: existing, inserted: false };
    }
  }

  /** Stores the event record of an entry; false when the entry already has one. */
  async insertEventRecord(record: HoursEventRecord): Promise<boolean> {
    try {
      await this.eventRecords.create(record);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Entries and event records whose `_id` (an ObjectId, so a time) is before `cutoff`. */
  async countBefore(cutoff: Types.ObjectId): Promise<{ entries: number; eventRecords: number }> {
    const before = { _id: { $lt: cutoff } };
    const [entries, eventRecords] = await Promise.all([
      this.entries.countDocuments(before).exec(),
      this.eventRecords.countDocuments(before).exec(),
    ]);
    return { entries, eventRecords };
  }

  /** A page of all entries before `cutoff`, in `_id` order, with an outbox an older entry may still carry. */
  entriesBefore(cutoff: Types.ObjectId, after: Types.ObjectId | undefined, limit: number) {
    return this.entries
      .find({ _id: { $lt: cutoff, ...(after && { $gt: after }) } })
      .sort({ _id: 1 })
      .limit(limit)
      .lean<StoredHoursEntry[]>()
      .exec();
  }

  /** Which of these entries have an event record. */
  async withEventRecord(entryIds: Types.ObjectId[]): Promise<Set<string>> {
    const found = await this.eventRecords
      .find({ _id: { $in: entryIds } }, { _id: 1 })
      .lean<{ _id: Types.ObjectId }[]>()
      .exec();
    return new Set(found.map((r) => String(r._id)));
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
    // Entries carry no outbox (their events live in records of their own), so nothing else writes them after
    // their insert and one update places them all.
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

  /** The raw collection of the ledger's event records, for the outbox relay. */
  get eventRecordCollection(): Collection {
    return this.eventRecords.collection as unknown as Collection;
  }
}
