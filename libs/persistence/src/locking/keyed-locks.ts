import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode } from '@cg/contracts';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { Lease } from './lease.schema';

export interface LockOptions {
  /** How long to wait for the lock before answering CONFLICT. */
  waitMs?: number;
  /** How long a holder that stopped keeps the lock before others may take it over. */
  leaseMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Mutual exclusion per aggregate, across every instance of the service, built on the one write the test
 * database does atomically: an insert against a unique `_id`. FerretDB v1 evaluates the filter of an update
 * and applies it in separate steps, so two racing conditional updates can both "succeed"; read-check-write
 * sequences on a contended aggregate therefore run inside `run`. Not re-entrant.
 */
@Injectable()
export class KeyedLocks {
  constructor(@InjectModel(Lease.name) private readonly leases: Model<Lease>) {}

  async run<T>(key: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const token = randomUUID();
    const leaseMs = options.leaseMs ?? 15_000;
    const deadline = Date.now() + (options.waitMs ?? 10_000);
    let backoff = 2;
    for (;;) {
      try {
        await this.leases.create({ _id: key, token, expiresAt: new Date(Date.now() + leaseMs) });
        break;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        await this.leases.deleteOne({ _id: key, expiresAt: { $lt: new Date() } });
        if (Date.now() > deadline) throw new DomainException(ErrorCode.CONFLICT, 'Too many changes at once; try again');
        await sleep(backoff + Math.random() * backoff);
        backoff = Math.min(backoff * 2, 40);
      }
    }
    try {
      return await work();
    } finally {
      await this.leases.deleteOne({ _id: key, token });
    }
  }

  /**
   * Runs `work` when nobody else holds `key`, and keeps holding it for as long as the work runs (the lease is renewed
   * every third of `leaseMs`), for background work of minutes. Answers false at once, without running, when a live
   * holder has the key. A holder that stops (a crash, a restart) keeps it at most `leaseMs`.
   */
  async tryHold(key: string, work: () => Promise<void>, leaseMs = 30_000): Promise<boolean> {
    const token = randomUUID();
    const take = () => this.leases.create({ _id: key, token, expiresAt: new Date(Date.now() + leaseMs) });
    try {
      await take();
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const gone = await this.leases.deleteOne({ _id: key, expiresAt: { $lt: new Date() } });
      if (gone.deletedCount === 0) return false;
      try {
        await take();
      } catch (again) {
        if ((again as { code?: number }).code === 11000) return false;
        throw again;
      }
    }
    const renew = setInterval(() => {
      this.leases
        .updateOne({ _id: key, token }, { $set: { expiresAt: new Date(Date.now() + leaseMs) } })
        .catch(() => undefined);
    }, leaseMs / 3);
    renew.unref();
    try {
      await work();
      return true;
    } finally {
      clearInterval(renew);
      await this.leases.deleteOne({ _id: key, token }).catch(() => undefined);
    }
  }
}
