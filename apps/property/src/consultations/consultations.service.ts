import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
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
  PARTNER_OPEN_CONSULTATIONS,
  Principal,
  PropertyEvents,
  Role,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { EventPublisher, OutboxRelay } from '@cg/messaging';
import { Logger, PINO_LOGGER, currentCorrelationId } from '@cg/observability';
import { objectId, toPage } from '@cg/persistence';
import { Types } from 'mongoose';
import { StepClaimsRepository } from '../step-claims/step-claims.repository';
import { Consultation } from './consultation.schema';
import { ConsultationsRepository } from './consultations.repository';

/** The owners' committee asks and decides; community staff may act for it. */
export const CONSULTATION_ORGANISERS = [Role.OwnersCommitteeMember, ...COMMUNITY_MANAGERS];

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
export class ConsultationsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly relay: OutboxRelay;

  constructor(
    private readonly consultations: ConsultationsRepository,
    private readonly claims: StepClaimsRepository,
    publisher: EventPublisher,
    @Inject(PINO_LOGGER) logger: Logger,
  ) {
    this.relay = new OutboxRelay(consultations.collection, publisher, logger);
  }

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }

  /** A partner has at most PARTNER_OPEN_CONSULTATIONS questions waiting for an answer. */
  async ask(caller: Principal, communityId: string, dto: AskConsultationDto): Promise<ConsultationView> {
    assertRole(caller, CONSULTATION_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const dueAt = new Date(dto.dueAt);
    if (dueAt.getTime() <= Date.now()) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The due date has passed', [{ field: 'dueAt', reason: 'dueAt must be in the future' }]);
    }
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const _id = new Types.ObjectId();
    if (!(await this.consultations.takeSlot(community, dto.partnerPersonId, _id, PARTNER_OPEN_CONSULTATIONS))) {
      throw new DomainException(
        ErrorCode.ALREADY_TAKEN,
        `This partner already has ${PARTNER_OPEN_CONSULTATIONS} consultations waiting for an answer`,
      );
    }
    const consultation: Consultation = {
      _id,
      communityId: community,
      partnerPersonId: dto.partnerPersonId,
      domain: dto.domain,
      question: dto.question,
      documents: dto.documents ?? [],
      dueAt,
      askedBy: caller.sub,
      askedAt: new Date(),
      status: ConsultationStatus.Asked,
      version: 1,
      outbox: [],
    };
    try {
      return toView(await this.consultations.insert(consultation));
    } catch (error) {
      await this.consultations.releaseSlot(community, dto.partnerPersonId, _id);
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
    const docs = await this.consultations.list(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      { ...(query.status && { status: query.status }), ...(!everyone && { partnerPersonId: caller.personId }) },
      query.cursor,
      limit,
    );
    const now = new Date();
    return toPage(docs, limit, (doc) => toView(doc, now));
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
    await this.move(caller, consultation, { status: ConsultationStatus.Answered, answer });
    await this.consultations.releaseSlot(consultation.communityId, consultation.partnerPersonId, consultation._id);
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
    await this.move(caller, consultation, { status: ConsultationStatus.Completed, decision }, { outbox: event });
    void this.relay.kick(consultation._id);
    return toView({ ...consultation, status: ConsultationStatus.Completed, decision });
  }

  /** The committee withdraws a question not yet answered, which frees the partner's place. */
  async withdraw(caller: Principal, communityId: string, consultationId: string): Promise<ConsultationView> {
    assertRole(caller, CONSULTATION_ORGANISERS);
    assertCommunityAccess(caller, communityId);
    const consultation = await this.load(communityId, consultationId);
    this.assertStatus(consultation, ConsultationStatus.Asked, 'withdrawn');
    await this.move(caller, consultation, { status: ConsultationStatus.Withdrawn });
    await this.consultations.releaseSlot(consultation.communityId, consultation.partnerPersonId, consultation._id);
    return toView({ ...consultation, status: ConsultationStatus.Withdrawn });
  }

  /** Publishes whatever is pending now; used by tests and by shutdown paths that want a clean outbox. */
  flushOutbox(): Promise<void> {
    return this.relay.kick();
  }

  private async move(caller: Principal, consultation: Consultation, set: Record<string, unknown>, push?: Record<string, unknown>): Promise<void> {
    const applied = await this.claims.claimAndApply(
      {
        kind: 'consultation',
        communityId: consultation.communityId,
        documentId: consultation._id,
        version: consultation.version,
        set,
        ...(push && { push }),
        by: caller.sub,
      },
      (step) => this.consultations.applyStep(step),
    );
    if (!applied) throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This consultation was changed by someone else at the same time');
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
