import { INestApplication } from '@nestjs/common';
import { getConnectionToken } from '@nestjs/mongoose';
import {
  Availability,
  ConsultationStatus,
  DomainException,
  ErrorCode,
  EventEnvelope,
  PartnerDomain,
  Principal,
  PropertyEvents,
  Role,
  ServiceName,
} from '@cg/contracts';
import { DurableConsumers, startServiceApp } from '@cg/messaging';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Connection, Types } from 'mongoose';
import { MembershipAppModule } from '../../membership/src/app.module';
import { PropertyAppModule } from '../src/app.module';
import { ConsultationsService } from '../src/consultations/consultations.service';
import { newId } from './ownership-events';

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    if (!(error instanceof DomainException)) throw error;
    return error.code;
  }
}

describe("expert consultations, checked against membership's partner profiles, on real servers", () => {
  const id = runId();
  const config = testServiceConfig(ServiceName.Property, id);
  const membershipConfig = testServiceConfig(ServiceName.Membership, id);
  const communityId = newId();
  const committee: Principal = { sub: 'oc', name: 'Zhou Min', roles: [Role.OwnersCommitteeMember], communityIds: [communityId] };
  const person = (name: string): Principal => ({ sub: `acct-${name}`, personId: newId(), name, roles: [Role.Resident], communityIds: [communityId] });
  let membership: INestApplication;
  let app: INestApplication;
  let consultations: ConsultationsService;
  let partners: Connection;
  const completed: EventEnvelope[] = [];

  /** A partner profile as membership stores it when the partner saves one. */
  async function partner(name: string, domains: PartnerDomain[], maxOpenConsultations: number): Promise<Principal> {
    const who = person(name);
    await setCapacity(who, maxOpenConsultations, domains);
    return who;
  }

  async function setCapacity(who: Principal, maxOpenConsultations: number, domains?: PartnerDomain[]): Promise<void> {
    await partners.collection('partners').updateOne(
      { _id: new Types.ObjectId(who.personId) },
      {
        $set: { maxOpenConsultations, ...(domains && { domains }) },
        $setOnInsert: {
          communityId: new Types.ObjectId(communityId),
          name: who.name,
          qualifications: ['Registered engineer'],
          availability: [Availability.WeekdayEvening],
          buildingId: new Types.ObjectId(),
          gridId: new Types.ObjectId(),
        },
      },
      { upsert: true },
    );
  }

  const ask = (who: Principal, domain: PartnerDomain, question = 'Is the quote for the roof reasonable?') =>
    consultations.ask(committee, communityId, {
      partnerPersonId: who.personId!,
      domain,
      question,
      dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
  const waiting = async (who: Principal) =>
    (await consultations.list(who, communityId, { status: ConsultationStatus.Asked, limit: 100 })).items;

  beforeAll(async () => {
    membership = await startServiceApp(MembershipAppModule.register(membershipConfig), membershipConfig);
    partners = membership.get<Connection>(getConnectionToken());
    app = await startServiceApp(PropertyAppModule.register(config), config);
    consultations = app.get(ConsultationsService);
    await app.get(DurableConsumers).start({
      durable: `property-test-${id}-consultations`,
      event: PropertyEvents.consultationCompleted,
      handle: async (event) => void completed.push(event),
    });
  });

  afterAll(async () => {
    await app?.close();
    await membership?.close();
  });

  it('refuses a person without a partner profile with 404 and stores nothing', async () => {
    const neighbour = person('neighbour');
    await expect(ask(neighbour, PartnerDomain.LegalServices)).rejects.toMatchObject({ code: ErrorCode.PARTNER_NOT_FOUND });
    expect(await waiting(neighbour)).toEqual([]);
  });

  it("refuses a domain the partner did not declare, naming the partner's domains", async () => {
    const gardener = await partner('gardener', [PartnerDomain.GreeningUpkeep], 2);
    await expect(ask(gardener, PartnerDomain.FinancialManagement)).rejects.toMatchObject({
      code: ErrorCode.PARTNER_DOMAIN_MISMATCH,
      details: { domain: PartnerDomain.FinancialManagement, domains: [PartnerDomain.GreeningUpkeep] },
    });
    expect(await waiting(gardener)).toEqual([]);
    expect((await ask(gardener, PartnerDomain.GreeningUpkeep)).status).toBe(ConsultationStatus.Asked);
  });

  it('gives a partner exactly as many of 20 questions asked at once as their stated capacity', async () => {
    const accountant = await partner('accountant', [PartnerDomain.FinancialManagement], 2);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, n) => codeOf(ask(accountant, PartnerDomain.FinancialManagement, `Is the fund invested well? (${n})`))),
    );
    expect(outcomes.filter((o) => o === undefined)).toHaveLength(2);
    expect(outcomes.filter((o) => o === ErrorCode.ALREADY_TAKEN)).toHaveLength(18);
    expect(await waiting(accountant)).toHaveLength(2);
    await expect(ask(accountant, PartnerDomain.FinancialManagement)).rejects.toMatchObject({
      code: ErrorCode.ALREADY_TAKEN,
      details: { reason: 'partner_at_capacity', capacity: 2 },
    });
  });

  it('lets exactly one of two questions asked at once take the last place, which a withdrawal freed', async () => {
    const engineer = await partner('engineer', [PartnerDomain.PropertyEngineering], 3);
    const asked = [];
    for (const n of [1, 2, 3]) asked.push(await ask(engineer, PartnerDomain.PropertyEngineering, `Question ${n}`));
    await consultations.withdraw(committee, communityId, asked[1].id);
    const both = await Promise.all([1, 2].map((n) => codeOf(ask(engineer, PartnerDomain.PropertyEngineering, `Last place ${n}`))));
    expect(both.sort()).toEqual([ErrorCode.ALREADY_TAKEN, undefined].sort());
    expect(await waiting(engineer)).toHaveLength(3);
  });

  it('keeps a partner whose capacity was lowered full until their waiting questions are below it', async () => {
    const lawyer = await partner('lawyer', [PartnerDomain.LegalServices], 3);
    const asked = [];
    for (const n of [1, 2, 3]) asked.push(await ask(lawyer, PartnerDomain.LegalServices, `Contract clause ${n}`));
    await setCapacity(lawyer, 2);
    await consultations.answer(lawyer, communityId, asked[0].id, { answer: 'The clause is void.' });
    expect(await codeOf(ask(lawyer, PartnerDomain.LegalServices))).toBe(ErrorCode.ALREADY_TAKEN);
    await consultations.withdraw(committee, communityId, asked[1].id);
    const both = await Promise.all([1, 2].map((n) => codeOf(ask(lawyer, PartnerDomain.LegalServices, `After lowering ${n}`))));
    expect(both.sort()).toEqual([ErrorCode.ALREADY_TAKEN, undefined].sort());
    expect(await waiting(lawyer)).toHaveLength(2);
  });

  it('is answered by the partner only, frees the place, and publishes its completion once the committee decides', async () => {
    const surveyor = await partner('surveyor', [PartnerDomain.PropertyEngineering], 1);
    const target = await ask(surveyor, PartnerDomain.PropertyEngineering);
    expect(await codeOf(ask(surveyor, PartnerDomain.PropertyEngineering))).toBe(ErrorCode.ALREADY_TAKEN);
    const stranger = person('stranger');
    expect(await codeOf(consultations.answer(stranger, communityId, target.id, { answer: 'x' }))).toBe(ErrorCode.FORBIDDEN);
    expect(await codeOf(consultations.decide(committee, communityId, target.id, { adopted: true, reasons: 'x' }))).toBe(ErrorCode.INVALID_TRANSITION);
    const answered = await consultations.answer(surveyor, communityId, target.id, { answer: 'About 20% above the reference price' });
    expect(answered.status).toBe(ConsultationStatus.Answered);
    expect((await ask(surveyor, PartnerDomain.PropertyEngineering, 'Next question')).status).toBe(ConsultationStatus.Asked);

    const decided = await consultations.decide(committee, communityId, target.id, { adopted: true, reasons: 'A second quote was requested' });
    expect(decided).toMatchObject({ status: ConsultationStatus.Completed, decision: { adopted: true, decidedBy: committee.sub } });
    const event = await eventually(async () => completed.find((e) => (e.data as { consultationId: string }).consultationId === target.id));
    expect(event).toMatchObject({ communityId, data: { partnerPersonId: surveyor.personId, domain: PartnerDomain.PropertyEngineering, adopted: true } });
    expect(await codeOf(consultations.decide(committee, communityId, target.id, { adopted: false, reasons: 'again' }))).toBe(ErrorCode.INVALID_TRANSITION);
    expect((await consultations.list(surveyor, communityId, {})).items.every((c) => c.partnerPersonId === surveyor.personId)).toBe(true);
    expect((await consultations.list(stranger, communityId, {})).items).toEqual([]);
  });

  it('completes a consultation decided by 20 committee members at once exactly once, publishing one completion', async () => {
    const expert = await partner('expert', [PartnerDomain.LegalServices], 1);
    const asked = await ask(expert, PartnerDomain.LegalServices, 'May the committee sign the parking contract alone?');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => codeOf(consultations.answer(expert, communityId, asked.id, { answer: `Answer ${i}` }))),
    );
    expect(answers.filter((o) => o === undefined)).toHaveLength(1);
    expect(answers.filter((o) => o === ErrorCode.INVALID_TRANSITION)).toHaveLength(9);
    const decisions = await Promise.all(
      Array.from({ length: 20 }, (_, i) => codeOf(consultations.decide(committee, communityId, asked.id, { adopted: i % 2 === 0, reasons: `Reason ${i}` }))),
    );
    expect(decisions.filter((o) => o === undefined)).toHaveLength(1);
    expect(decisions.filter((o) => o === ErrorCode.INVALID_TRANSITION)).toHaveLength(19);
    const winner = decisions.findIndex((o) => o === undefined);
    const stored = await consultations.get(committee, communityId, asked.id);
    expect(stored).toMatchObject({ status: ConsultationStatus.Completed, decision: { adopted: winner % 2 === 0, reasons: `Reason ${winner}` } });
    await consultations.flushOutbox();
    const mine = () => completed.filter((e) => (e.data as { consultationId: string }).consultationId === asked.id);
    await eventually(async () => mine().length > 0);
    // Give a duplicate publication time to arrive, should there be one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(mine()).toHaveLength(1);
    expect(mine()[0].data).toMatchObject({ adopted: winner % 2 === 0 });
  });
});
