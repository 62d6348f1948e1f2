/**
 * Residents writing through the gateway while something breaks: each client files cases, posts micro-wishes and
 * registers for activities one after the other. A logical write carries one `Idempotency-Key` (a UUID) for all its
 * attempts; a 503, a 504 or no reply is tried again with the same key until a final answer or the retry budget.
 */
import { randomUUID } from 'node:crypto';
import { sleep } from '../bench/support';

export type WriteKind = 'case' | 'wish' | 'registration';

export interface Writer {
  token: string;
  personId: string;
  unitId: string;
}

export interface LogicalWrite {
  key: string;
  kind: WriteKind;
  /** Unique text in the stored record (case description, wish title); the activity id for a registration. */
  marker: string;
  personId: string;
  attempts: number;
  /** Status of the last attempt; 0 when there was no reply. */
  finalStatus: number;
  accepted: boolean;
  /** An attempt after the first answered 2xx with the replay header: the gateway kept the first reply. */
  replayed: boolean;
  /** The reply's id when accepted. */
  id?: string;
}

/** One attempt's answer: when it was sent and answered (ms on this process's clock) and its status (0: no reply). */
export interface Reply {
  kind: WriteKind;
  sentAt: number;
  at: number;
  status: number;
  retryAfter: boolean;
}

export interface WriteLoadOptions {
  baseUrl: string;
  communityId: string;
  writers: Writer[];
  /** Activities open for registration; each writer registers once for each, in order, between other writes. */
  activityIds: string[];
  /** Prefix of every marker: the scenario and the run. */
  label: string;
  retryBudgetMs: number;
  attemptTimeoutMs: number;
  pauseMs: number;
}

const RETRIED = new Set([0, 503, 504]);
const neededBy = () => new Date(Date.now() + 14 * 24 * 3600_000).toISOString().slice(0, 10);

export class WriteLoad {
  readonly writes: LogicalWrite[] = [];
  readonly replies: Reply[] = [];
  /** The first body of each kind and status outside 2xx, to show what a refusal said. */
  readonly samples = new Map<string, string>();
  private stopping = false;
  private running?: Promise<void>;

  constructor(private readonly options: WriteLoadOptions) {}

  start(): void {
    this.running = Promise.all(this.options.writers.map((w, i) => this.client(w, i))).then(() => undefined);
  }

  /** No new logical writes; waits until each one in flight has its final answer or ran out of budget. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  private async client(writer: Writer, index: number): Promise<void> {
    const { activityIds, communityId, label, pauseMs } = this.options;
    const base = `/api/v1/communities/${communityId}`;
    let registered = 0;
    for (let n = 0; !this.stopping; n++) {
      const marker = `${label}-w${index}-${n}`;
      // Every third write is a registration while activities remain, the others alternate cases and wishes.
      if (n % 3 === 2 && registered < activityIds.length) {
        const activityId = activityIds[registered++];
        await this.write(
          writer,
          'registration',
          activityId,
          `${base}/activities/${activityId}/registrations`,
          {},
        );
      } else if (n % 2 === 0) {
        await this.write(writer, 'case', marker, `${base}/cases`, {
          category: 'noise',
          description: `Chaos check ${marker}: drilling after 22:00`,
          urgency: 'normal',
          locationKind: 'unit',
          locationId: writer.unitId,
        });
      } else {
        await this.write(writer, 'wish', marker, `${base}/micro-wishes`, {
          what: `Chaos check ${marker}`,
          why: 'A reading lamp for homework',
          category: 'study',
          neededBy: neededBy(),
        });
      }
      await sleep(pauseMs);
    }
  }

  private async write(
    writer: Writer,
    kind: WriteKind,
    marker: string,
    path: string,
    body: object,
  ): Promise<void> {
    const logical: LogicalWrite = {
      key: randomUUID(),
      kind,
      marker,
      personId: writer.personId,
      attempts: 0,
      finalStatus: 0,
      accepted: false,
      replayed: false,
    };
    this.writes.push(logical);
    const deadline = performance.now() + this.options.retryBudgetMs;
    for (let backoff = 250; ; backoff = Math.min(backoff * 2, 2000)) {
      logical.attempts += 1;
      const sentAt = performance.now();
      let status = 0;
      let retryAfter: string | null = null;
      try {
        const response = await fetch(`${this.options.baseUrl}${path}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${writer.token}`,
            'idempotency-key': logical.key,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.attemptTimeoutMs),
        });
        const text = await response.text();
        status = response.status;
        retryAfter = response.headers.get('retry-after');
        if (status >= 200 && status < 300) {
          logical.accepted = true;
          logical.replayed ||= response.headers.get('idempotent-replayed') === 'true';
          logical.id = (JSON.parse(text) as { id?: string }).id;
        } else if (!this.samples.has(`${kind} ${status}`)) {
          this.samples.set(`${kind} ${status}`, text.slice(0, 300));
        }
      } catch {
        status = 0;
      }
      this.replies.push({ kind, sentAt, at: performance.now(), status, retryAfter: retryAfter !== null });
      logical.finalStatus = status;
      if (!RETRIED.has(status) || performance.now() > deadline) return;
      // A client that honours Retry-After (capped at 2 s), else backs off from 250 ms.
      const hinted =
        retryAfter && Number.isFinite(Number(retryAfter))
          ? Math.min(Number(retryAfter) * 1000, 2000)
          : backoff;
      await sleep(Math.min(hinted, Math.max(0, deadline - performance.now())));
    }
  }
}
