import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { insertAbsent, isDuplicateKey } from '@cg/persistence';
import { Collection } from 'mongodb';
import { FilterQuery, Model, Types } from 'mongoose';
import { AuditEntry } from './audit-entry.schema';

export interface AuditFilter {
  communityId: Types.ObjectId;
  object?: { kind: string; id?: string };
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
}

/** The only code that touches `audit_entries`: it inserts and reads, and has no way to change or remove an entry. */
@Injectable()
export class AuditRepository implements OnModuleInit {
  constructor(@InjectModel(AuditEntry.name) private readonly entries: Model<AuditEntry>) {}

  async onModuleInit(): Promise<void> {
    await this.entries.createIndexes();
  }

  /** Stores the entry; one already stored under its id (a redelivered event, a retried reveal) is left as it is. */
  async insert(entry: AuditEntry): Promise<void> {
    try {
      await this.entries.collection.insertOne(entry as never);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** Stores many entries in one round trip, leaving out those already stored. */
  async insertMany(entries: AuditEntry[]): Promise<void> {
    await insertAbsent(this.entries.collection as unknown as Collection, entries as never[]);
  }

  /** When `actor`'s latest `limit` entries of `action` since `since` happened, oldest first: one query. */
  async timesSince(actor: string, action: string, since: Date, limit: number): Promise<Date[]> {
    const found = await this.entries
      .find({ actor, action, at: { $gte: since } }, { at: 1 })
      .sort({ at: 1 })
      .limit(limit)
      .lean<Pick<AuditEntry, 'at'>[]>()
      .exec();
    return found.map((e) => e.at);
  }

  /** Entries newest first, `limit` of them after the cursor's entry. */
  find(
    filter: AuditFilter,
    after: { at: Date; id: string } | undefined,
    limit: number,
  ): Promise<AuditEntry[]> {
    const at = { ...(filter.from && { $gte: filter.from }), ...(filter.to && { $lt: filter.to }) };
    const query: FilterQuery<AuditEntry> = {
      communityId: filter.communityId,
      ...(filter.object && { 'object.kind': filter.object.kind }),
      ...(filter.object?.id && { 'object.id': filter.object.id }),
      ...(filter.actor && { actor: filter.actor }),
      ...(filter.action && { action: filter.action }),
      ...(Object.keys(at).length > 0 && { at }),
      ...(after && { $or: [{ at: { $lt: after.at } }, { at: after.at, _id: { $lt: after.id } }] }),
    };
    return this.entries.find(query).sort({ at: -1, _id: -1 }).limit(limit).lean<AuditEntry[]>().exec();
  }
}
