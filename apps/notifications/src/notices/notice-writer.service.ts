import { Injectable } from '@nestjs/common';
import { EventEnvelope, NoticeKind, NotificationSubjects } from '@cg/contracts';
import { NatsConnection } from '@cg/messaging';
import { JSONCodec } from 'nats';
import { OutboundService } from '../delivery/outbound.service';
import { NoticeLink, NoticeParams } from './notice.schema';
import { toLiveNotice } from './notice-views';
import { NoticesRepository } from './notices.repository';

export interface NoticeDraft {
  kind: NoticeKind;
  params: NoticeParams;
  link?: NoticeLink;
  /** When it happened, if not the event's time (an announcement's publish time). */
  at?: Date;
}

const codec = JSONCodec();

/**
 * Stores the notices an event causes, each under an id derived from the event, so a redelivered event or two
 * replicas handling it store each notice once; then publishes it live on the reader's (or audience's) subject.
 * Live delivery may repeat on redelivery: streams drop ids they have sent.
 */
@Injectable()
export class NoticeWriter {
  constructor(
    private readonly notices: NoticesRepository,
    private readonly nats: NatsConnection,
    private readonly outbound: OutboundService,
  ) {}

  async toPerson(event: EventEnvelope, personId: string, draft: NoticeDraft): Promise<void> {
    const id = `${event.id}:${personId}`;
    const at = draft.at ?? new Date(event.occurredAt);
    const { doc } = await this.notices.insertPersonal({
      _id: id,
      eventId: event.id,
      communityId: event.communityId,
      personId,
      kind: draft.kind,
      params: draft.params,
      ...(draft.link && { link: draft.link }),
      at,
      storedAt: new Date(),
    });
    // Also on a redelivery: the process may have stopped between the insert and this line.
    await this.notices.addRecent(personId, { id, at: doc.at });
    await this.outbound.planPersonal(doc);
    this.publish(NotificationSubjects.person(personId), doc);
  }

  /** One notice for the whole audience, however large: readers match it on read. */
  async toAudience(event: EventEnvelope, audiences: string[], draft: NoticeDraft): Promise<void> {
    if (audiences.length === 0) return;
    const { doc } = await this.notices.insertAudience({
      _id: event.id,
      communityId: event.communityId,
      audiences,
      kind: draft.kind,
      params: draft.params,
      ...(draft.link && { link: draft.link }),
      at: draft.at ?? new Date(event.occurredAt),
      storedAt: new Date(),
    });
    await this.outbound.planAudience(doc);
    if (doc.at.getTime() > Date.now()) return;
    for (const key of doc.audiences) this.publish(NotificationSubjects.audience(key), doc);
  }

  private publish(subject: string, doc: Parameters<typeof toLiveNotice>[0]): void {
    this.nats.nc.publish(subject, codec.encode(toLiveNotice(doc)));
  }
}
