import { Injectable } from '@nestjs/common';
import {
  AnswerConsultationDto,
  AskConsultationDto,
  ConsultationDecisionDto,
  ConsultationListQueryDto,
  ConsultationPage,
  ConsultationStatus,
  ConsultationView,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  EventEnvelope,
  MembershipPartnerRpc,
  PartnerView,
  Principal,
  PropertyEvents,
  Role,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { Outbox, RpcClient } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { Consultation } from './consultation.schema';
import { ConsultationsRepository } from './consultations.repository';
import { freePlaces, offersDomain } from './partner-places';

/** The owners' committee asks and decides; community staff may act for it. */
export const CONSULTATION_ORGANISERS = [Role.OwnersCommitteeMember, ...COMMUNITY_MANAGERS];

/** The slot value that frees a question's place: unique, and never one of the partner's places. */
const freed = (c: Pick<Consultation, '_id'>) => `closed:${String(c._id)}`;

function toView(c: Consultation, now = new Date()): ConsultationView {
  return {
    id: String(c._id),
    communityId: String(c.communityId),
    partnerPersonId: c.partnerPersonId,
    domain: c.domain,
    question: c.question,
    documents: c.documents ?? [],
    dueAt: c.dueAt.toISOString(),
    askedBy: c.askedBy,
    askedAt: c.askedAt.toISOString(),
    status: c.status,
    overdue: c.status === ConsultationStatus.Asked && now > c.dueAt,
    ...(c.answer && { answer: { text: c.answer.text, documents: c.answer.documents, answeredAt: new Date(c.answer.answeredAt).toISOString() } }),
    ...(c.decision && {
      decision: {
        adopted: c.decision.adopted,
        reasons: c.decision.reasons,
        decidedBy: c.decision.decidedBy,
        decidedAt: new Date(c.decision.decidedAt).toISOString(),
      },
    }),
  };
}

@Injectable()
export class ConsultationsService {
  constructor(
    private readonly consultations: ConsultationsRepository,
    private readonly outbox: Outbox,
    // Partner profiles are membership's: asked over RPC, so the domains and the capacity are current.
    private readonly rpc: RpcClient,
  ) {}

  /**
   * Asks a community partner: only a person with a partner profile here, in a domain they declared, and while
   * their questions waiting for an answer are fewer than the capacity they stated.
   */
  async ask(caller: Principal, communityId: string, dto: AskConsultationDto): Promise<ConsultationView> {
    assertRole(caller, CONSULTATION_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const dueAt = new Date(dto.dueAt);
    if (dueAt.getTime() <= Date.now()) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The due date has passed', [{ field: 'dueAt', reason: 'dueAt must be in the future' }]);
    }
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const consultation: Omit<Consultation, 'slot'> = {
      _id: newId('consultation'),
      communityId: community,
      partnerPersonId: dto.partnerPersonId,
      domain: dto.domain,
      question: dto.question,
      documents: dto.documents ?? [],
      dueAt,
      askedBy: caller.sub,
      askedAt: new Date(),
      status: ConsultationStatus.Asked,
      outbox: [],
    };
    // The same write retried answers its first attempt's question, whatever the partner's profile says now.
    const first = await this.consultations.findOne({ communityId: community, _id: consultation._id });
    if (first) return toView(first);
    const partner = await this.partnerOf(communityId, dto.partnerPersonId);
    if (!offersDomain(partner, dto.domain)) {
      throw new DomainException(ErrorCode.PARTNER_DOMAIN_MISMATCH, `${partner.name} does not advise on ${dto.domain}`, {
        domain: dto.domain,
        domains: partner.domains,
      });
    }
    const capacity = partner.maxOpenConsultations;
    const held = await this.consultations.heldSlots(community, dto.partnerPersonId);
    for (const slot of freePlaces(dto.partnerPersonId, capacity, held)) {
      const stored = await this.consultations.insertInSlot({ ...consultation, slot });
      if (stored) return toView(stored);
    }
    // A retry of the same write running at the same time took a place for this question.
    const asked = await this.consultations.findOne({ communityId: community, _id: consultation._id });
    if (asked) return toView(asked);
    throw new DomainException(
      ErrorCode.ALREADY_TAKEN,
      `${partner.name} already has ${capacity} consultation${capacity === 1 ? '' : 's'} waiting for an answer`,
      { reason: 'partner_at_capacity', capacity },
    );
  }

  private async partnerOf(communityId: string, personId: string): Promise<PartnerView> {
    try {
      return await this.rpc.send(MembershipPartnerRpc.get, { communityId, personId });
    } catch (error) {
      if (error instanceof DomainException && error.code === ErrorCode.NOT_FOUND) {
        throw new DomainException(ErrorCode.PARTNER_NOT_FOUND, `${personId} has no community partner profile in this community`);
      }
      throw error;
    }
  }

  async get(caller: Principal, communityId: string, consultationId: string): Promise<ConsultationView> {
    assertCommunityAccess(caller, communityId);
    const consultation = await this.load(communityId, consultationId);
    this.assertMayRead(caller, consultation);
    return toView(consultation);
  }

  /** The committee sees every consultation; a partner sees the ones addressed to them. */
  async list(caller: Principal, communityId: string, query: ConsultationListQueryDto): Promise<ConsultationPage> {
    assertCommunityAccess(caller, communityId);
    const everyone = hasAnyRole(caller, [...CONSULTATION_ORGANISERS, Role.System]);
    if (!everyone && !caller.personId) throw new DomainException(ErrorCode.FORBIDDEN, 'Only the committee and partners see consultations');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const now = new Date();
    return this.consultations.list(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      { ...(query.status && { status: query.status }), ...(!everyone && { partnerPersonId: caller.personId }) },
      { cursor: query.cursor, limit },
      (doc) => toView(doc, now),
    );
  }

  /** Only the partner asked may answer; the answer frees one of their places. */
  async answer(caller: Principal, communityId: string, consultationId: string, dto: AnswerConsultationDto): Promise<ConsultationView> {
    assertCommunityAccess(caller, communityId);
    const consultation = await this.load(communityId, consultationId);
    if (caller.personId !== consultation.partnerPersonId) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only the partner asked may answer this consultation');
    }
    this.assertStatus(consultation, ConsultationStatus.Asked, 'answered');
    const answer = { text: dto.answer, documents: dto.documents ?? [], answeredAt: new Date() };
    await this.move(consultation, { status: ConsultationStatus.Answered, answer, slot: freed(consultation) });
    return toView({ ...consultation, status: ConsultationStatus.Answered, answer });
  }

  /** The committee records whether it adopts the advice and why; membership learns of it from the event. */
  async decide(caller: Principal, communityId: string, consultationId: string, dto: ConsultationDecisionDto): Promise<ConsultationView> {
    assertRole(caller, CONSULTATION_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const consultation = await this.load(communityId, consultationId);
    this.assertStatus(consultation, ConsultationStatus.Answered, 'decided on');
    const decision = { adopted: dto.adopted, reasons: dto.reasons, decidedBy: caller.sub, decidedAt: new Date() };
    const event = newEvent(
      PropertyEvents.consultationCompleted,
      {
        consultationId,
        partnerPersonId: consultation.partnerPersonId,
        domain: consultation.domain,
        completedAt: decision.decidedAt.toISOString(),
        adopted: dto.adopted,
        askedAt: consultation.askedAt.toISOString(),
        answeredAt: new Date(consultation.answer!.answeredAt).toISOString(),
      },
      { communityId, actor: caller.sub, correlationId: currentCorrelationId() },
    );
    await this.move(consultation, { status: ConsultationStatus.Completed, decision }, event);
    void this.outbox.deliver(Consultation.name, consultation._id);
    return toView({ ...consultation, status: ConsultationStatus.Completed, decision });
  }

  /** The committee withdraws a question not yet answered, which frees the partner's place. */
  async withdraw(caller: Principal, communityId: string, consultationId: string): Promise<ConsultationView> {
    assertRole(caller, CONSULTATION_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const consultation = await this.load(communityId, consultationId);
    this.assertStatus(consultation, ConsultationStatus.Asked, 'withdrawn');
    await this.move(consultation, { status: ConsultationStatus.Withdrawn, slot: freed(consultation) });
    return toView({ ...consultation, status: ConsultationStatus.Withdrawn });
  }

  /** Publishes whatever is pending now; used by tests that want a clean outbox. */
  flushOutbox(): Promise<void> {
    return this.outbox.sweep(Consultation.name);
  }

  /** One conditional update from the status it was read in, carrying its event; the loser of a race is refused. */
  private async move(consultation: Consultation, set: Partial<Consultation>, event?: EventEnvelope): Promise<void> {
    if (!(await this.consultations.move(consultation, set, event))) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This consultation was changed by someone else at the same time');
    }
  }

  private assertStatus(consultation: Consultation, expected: ConsultationStatus, verb: string): void {
    if (consultation.status !== expected) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, `A consultation that is ${consultation.status} cannot be ${verb}`);
    }
  }

  private assertMayRead(caller: Principal, consultation: Consultation): void {
    if (!hasAnyRole(caller, [...CONSULTATION_ORGANISERS, Role.System]) && caller.personId !== consultation.partnerPersonId) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only the committee and the partner asked see this consultation');
    }
  }

  private async load(communityId: string, consultationId: string): Promise<Consultation> {
    const consultation = await this.consultations.findOne({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(consultationId, ErrorCode.NOT_FOUND),
    });
    if (!consultation) throw new DomainException(ErrorCode.NOT_FOUND, `No consultation ${consultationId} in this community`);
    return consultation;
  }
}
