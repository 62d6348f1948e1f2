import { DefinitionsFactory, Prop, Schema } from '@nestjs/mongoose';
import { EventEnvelope } from '@cg/contracts';
import { Collection } from 'mongodb';
import { Model, Schema as MongooseSchema, Types } from 'mongoose';

/**
 * One change of an aggregate (an activity, a registration, a micro-wish), written once and never updated except by
 * the outbox relay emptying `outbox`. `_id` is `<aggregateId>:<version the change starts from>`: inserting it is the
 * claim, so of two writers that read the same version exactly one may move the aggregate on (the test database
 * evaluates a conditional update and writes the document in separate steps, so it cannot arbitrate). The record
 * carries the fields the change sets (to finish a change whose writer stopped) and the events it causes.
 *
 * A record `<aggregateId>:handover` carries events an aggregate written before this journal still held in an
 * embedded outbox; it has no version and changes nothing.
 */
@Schema({ versionKey: false })
export class ChangeRecord {
  @Prop({ type: String }) _id: string;
  @Prop({ type: Types.ObjectId, required: true }) communityId: Types.ObjectId;
  @Prop({ type: Types.ObjectId, required: true }) aggregateId: Types.ObjectId;
  /** The aggregate's version this change starts from; absent on a hand-over record. */
  @Prop() version?: number;
  /** The fields as the change makes them (besides `version`, which becomes `version + 1`). */
  @Prop({ type: MongooseSchema.Types.Mixed }) set?: Record<string, unknown>;
  @Prop({ required: true }) at: Date;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) outbox: EventEnvelope[];
}

/** The schema of one aggregate's journal, in a collection of its own. */
export function changeRecordSchema(collection: string): MongooseSchema<ChangeRecord> {
  const schema = new MongooseSchema<ChangeRecord>(DefinitionsFactory.createForClass(ChangeRecord), {
    collection,
    versionKey: false,
  });
  // The outbox relay's sweep for unpublished events.
  schema.index({ 'outbox.id': 1 });
  // The completion pass, across communities: changes written in a time window.
  schema.index({ at: 1 });
  return schema;
}

/** What the journal needs of an aggregate. `version` is absent on aggregates written before the journal: 0. */
export interface Versioned {
  _id: Types.ObjectId;
  communityId: Types.ObjectId;
  version?: number;
}

export const versionOf = (aggregate: Versioned): number => aggregate.version ?? 0;

/** Matches an aggregate still at `version` (an aggregate written before the journal has none, and counts as 0). */
function atVersion(version: number): Record<string, unknown> {
  return version === 0 ? { $or: [{ version: 0 }, { version: { $exists: false } }] } : { version };
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

/**
 * Moves aggregates through insert-only change records.
 *
 * Order of a change, and why: (1) insert the record (the claim, with its events), (2) write the aggregate at the
 * claimed version, (3) kick the relay. A stop before (1) changes nothing and publishes nothing. A stop between (1)
 * and (2) leaves a claimed change unapplied; nobody else can move the aggregate from that version, so finishing the
 * change later is exactly what would have happened: the next writer of the aggregate (`catchUp`, under the
 * aggregate's lock) or the completion pass (`behind`) applies it. Its event is published by the relay either way,
 * so a change can never happen without its event; at worst the event is seen a moment before the change is.
 * Every side effect a change relies on (places taken, a queue position) is done before (1); effects that follow a
 * change are driven by the aggregate's state (e.g. places of a cancelled registration not yet released).
 */
export class ChangeJournal<T extends Versioned> {
  constructor(
    private readonly records: Model<ChangeRecord>,
    private readonly aggregates: Model<T>,
    /** Reads the aggregate as callers see it (projections included). */
    private readonly reload: (id: Types.ObjectId) => Promise<T | null>,
  ) {}

  static idOf(aggregateId: Types.ObjectId, version: number): string {
    return `${aggregateId}:${version}`;
  }

  async createIndexes(): Promise<void> {
    await this.records.createIndexes();
  }

  /**
   * Claims the aggregate's version for a change and applies it; the record's id, or undefined when another writer
   * took that version first (the aggregate was not as read: it is caught up, and the caller reads it again).
   */
  async commit(current: T, set: Partial<T>, events: EventEnvelope[] = []): Promise<string | undefined> {
    const version = versionOf(current);
    const record: ChangeRecord = {
      _id: ChangeJournal.idOf(current._id, version),
      communityId: current.communityId,
      aggregateId: current._id,
      version,
      set: set as Record<string, unknown>,
      at: new Date(),
      outbox: events,
    };
    try {
      await this.records.create(record);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      await this.catchUp(current);
      return undefined;
    }
    await this.apply(record);
    return record._id;
  }

  /**
   * The aggregate with every change claimed for it applied: a writer that stopped between its claim and its write
   * left it behind its journal. Callers hold the aggregate's lock, so a claimed change found unapplied is abandoned.
   */
  async catchUp(current: T): Promise<T> {
    let aggregate = current;
    for (;;) {
      const version = versionOf(aggregate);
      const record = await this.records.findById(ChangeJournal.idOf(aggregate._id, version)).lean<ChangeRecord>().exec();
      if (!record) return aggregate;
      await this.apply(record);
      const next = await this.reload(aggregate._id);
      if (!next || versionOf(next) === version) return next ?? aggregate;
      aggregate = next;
    }
  }

  /** Writes the aggregate as a claimed change makes it, if it is still at the version the change starts from. */
  private async apply(record: ChangeRecord): Promise<boolean> {
    const version = record.version!;
    const result = await this.aggregates.updateOne(
      { _id: record.aggregateId, ...atVersion(version) } as never,
      { $set: { ...(record.set ?? {}), version: version + 1 } } as never,
    );
    return result.modifiedCount === 1;
  }

  /** Aggregates left behind by a change claimed in [since, before): their version is still the one it starts from. */
  async behind(since: Date, before: Date): Promise<Types.ObjectId[]> {
    const claimed = await this.records
      .find({ at: { $gte: since, $lt: before }, version: { $exists: true } }, { aggregateId: 1, version: 1 })
      .lean<Pick<ChangeRecord, '_id' | 'aggregateId' | 'version'>[]>()
      .exec();
    if (claimed.length === 0) return [];
    const ids = [...new Map(claimed.map((r) => [String(r.aggregateId), r.aggregateId])).values()];
    const found = await this.aggregates
      .find({ _id: { $in: ids } } as never, { version: 1 })
      .lean<Versioned[]>()
      .exec();
    const versions = new Map(found.map((a) => [String(a._id), versionOf(a)]));
    return ids.filter((id) => claimed.some((r) => String(r.aggregateId) === String(id) && r.version === versions.get(String(id))));
  }

  /**
   * Hands events that aggregates written before the journal still hold in their embedded outbox over to hand-over
   * records; returns the ids of the records written. The record's id is fixed per aggregate, so however often and
   * by however many instances this runs, one record (the same event ids) is written and published. The aggregate
   * keeps its old outbox, unread: clearing it would be one more whole-document write racing live changes.
   */
  async handOver(): Promise<string[]> {
    const raw = this.aggregates.collection as unknown as Collection;
    const holding = await raw
      .find({ 'outbox.0': { $exists: true } }, { projection: { communityId: 1, outbox: 1 } })
      .toArray();
    const written: string[] = [];
    for (const doc of holding) {
      const _id = `${doc._id}:handover`;
      try {
        await this.records.create({ _id, communityId: doc.communityId, aggregateId: doc._id, at: new Date(), outbox: doc.outbox });
        written.push(_id);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    return written;
  }

  /** The raw journal collection, for the outbox relay: records are written once, so only the relay updates them. */
  get collection(): Collection {
    return this.records.collection as unknown as Collection;
  }
}

/** Look-back of the first completion pass after a start: changes a stopped instance may have left unapplied. */
export const FIRST_PASS_LOOKBACK_MS = 7 * 24 * 3600_000;
/** Changes younger than this are left to the writer that claimed them. */
export const COMPLETION_GRACE_MS = 10_000;

/**
 * Remembers up to when the journal has been checked for left-behind aggregates, so each completion pass reads only
 * the changes written since the previous one (with an overlap of the grace, for records inserted late).
 */
export class CompletionWindow {
  private checkedUntil: Date;

  constructor(now = Date.now()) {
    this.checkedUntil = new Date(now - FIRST_PASS_LOOKBACK_MS);
  }

  /** The window to check now; call `done(before)` once its aggregates are caught up. */
  next(now = Date.now()): { since: Date; before: Date } {
    return { since: new Date(this.checkedUntil.getTime() - COMPLETION_GRACE_MS), before: new Date(now - COMPLETION_GRACE_MS) };
  }

  done(before: Date): void {
    if (before > this.checkedUntil) this.checkedUntil = before;
  }
}

/** How often each service instance looks for changes a stopped writer left unapplied. */
export const COMPLETION_PASS_MS = 30_000;
