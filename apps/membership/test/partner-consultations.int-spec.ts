import { INestApplication } from '@nestjs/common';
import { Headers, PartnerDomain, Principal, PropertyEvents, Role, ServiceName, newEvent } from '@cg/contracts';
import { NatsConnection, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Types } from 'mongoose';
import { JSONCodec, headers } from 'nats';
import { MembershipAppModule } from '../src/app.module';
import { CONSULTATIONS_CONSUMER, PartnersService } from '../src/partners/partners.service';

const codec = JSONCodec();

describe("a partner's consultation history fed by property's events", () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Membership, id);
  const communityId = String(new Types.ObjectId());
  const staff: Principal = { sub: 'staff', name: 'Staff', roles: [Role.CommunityStaff], communityIds: [communityId] };
  const meta = { communityId, actor: 'service:property', correlationId: `corr-${id}` };
  let app: INestApplication;
  let partners: PartnersService;
  let nats: NatsConnection;

  /** Publishes an envelope under a message id of its own, so JetStream's de-duplication does not hide a repeat. */
  async function deliver(envelope: { type: string; id: string }, msgID: string): Promise<void> {
    const h = headers();
    h.set(Headers.correlationId, meta.correlationId);
    await nats.js.publish(envelope.type, codec.encode(envelope), { msgID, headers: h });
  }

  async function drained(): Promise<void> {
    await eventually(async () => {
      const info = await nats.jsm.consumers.info('DOMAIN_EVENTS', CONSULTATIONS_CONSUMER);
      return info.num_ack_pending === 0 && info.num_pending === 0 && info.delivered.stream_seq > 0;
    });
  }

  beforeAll(async () => {
    app = await startServiceApp(MembershipAppModule.register(config), config);
    partners = app.get(PartnersService);
    nats = app.get(NatsConnection);
  });

  afterAll(async () => {
    await app.close();
  });

  it('counts a completion delivered twice under different message ids once', async () => {
    const personId = String(new Types.ObjectId());
    const completed = newEvent(
      PropertyEvents.consultationCompleted,
      {
        consultationId: 'roof-12',
        partnerPersonId: personId,
        domain: PartnerDomain.PropertyEngineering,
        completedAt: '2025-06-01T09:00:00Z',
        adopted: false,
        askedAt: '2025-05-20T09:00:00Z',
        answeredAt: '2025-05-25T09:00:00Z',
      },
      meta,
    );
    await deliver(completed, `${completed.id}-first`);
    await deliver(completed, `${completed.id}-again`);
    await eventually(async () => (await partners.consultations(staff, communityId, personId, {})).completed > 0);
    await drained();
    const history = await partners.consultations(staff, communityId, personId, {});
    expect(history).toEqual({
      personId,
      completed: 1,
      adopted: 0,
      items: [
        {
          consultationId: 'roof-12',
          domain: PartnerDomain.PropertyEngineering,
          completedAt: '2025-06-01T09:00:00.000Z',
          adopted: false,
          askedAt: '2025-05-20T09:00:00.000Z',
          answeredAt: '2025-05-25T09:00:00.000Z',
          sourceEventId: completed.id,
        },
      ],
    });
  });

  it('counts each distinct completion, and a handler called again with the same event adds nothing', async () => {
    const personId = String(new Types.ObjectId());
    const events = ['a', 'b'].map((c) =>
      newEvent(
        PropertyEvents.consultationCompleted,
        { consultationId: c, partnerPersonId: personId, domain: PartnerDomain.LegalServices, completedAt: '2025-06-02T09:00:00Z', adopted: true },
        meta,
      ),
    );
    await Promise.all(events.map((e) => deliver(e, e.id)));
    await eventually(async () => (await partners.consultations(staff, communityId, personId, {})).completed === 2);
    await partners.onConsultationCompleted(events[0]);
    const history = await partners.consultations(staff, communityId, personId, {});
    expect(history).toMatchObject({ completed: 2, adopted: 2 });
    expect(history.items.map((i) => i.consultationId).sort()).toEqual(['a', 'b']);
  });

  it("shows a partner's history to staff and the partner, not to a neighbour", async () => {
    const personId = String(new Types.ObjectId());
    const neighbour: Principal = { sub: 'n', personId: String(new Types.ObjectId()), name: 'N', roles: [Role.Resident], communityIds: [communityId] };
    await expect(partners.consultations(neighbour, communityId, personId, {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
