import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ConsultationCompletedData,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  EventEnvelope,
  PageQueryDto,
  PartnerConsultationsView,
  PartnerDomain,
  PartnerPage,
  PartnerProfileDto,
  PartnerQueryDto,
  PartnerView,
  Principal,
  PropertyEvents,
  Role,
  hasAnyRole,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess } from '@cg/auth';
import { DurableConsumers } from '@cg/messaging';
import { objectId, toPage } from '@cg/persistence';
import { Types } from 'mongoose';
import { PeopleDirectory } from '../people/people.directory';
import { Partner, PartnerConsultation } from './partner.schema';
import { PartnersRepository } from './partners.repository';

export const CONSULTATIONS_CONSUMER = 'membership-partner-consultations';

/** Who sees a partner's consultation history besides the partner. */
const HISTORY_READERS = [...COMMUNITY_MANAGERS, Role.OwnersCommitteeMember, Role.System];

function toPartnerView(p: Partner): PartnerView {
  return {
    personId: String(p._id),
    communityId: String(p.communityId),
    name: p.name,
    domains: p.domains,
    qualifications: p.qualifications,
    availability: p.availability,
    maxOpenConsultations: p.maxOpenConsultations,
    ...(p.introduction && { introduction: p.introduction }),
    buildingId: String(p.buildingId),
    gridId: String(p.gridId),
    updatedAt: (p.updatedAt ?? new Date()).toISOString(),
  };
}

function toConsultationView(c: PartnerConsultation) {
  return {
    consultationId: c.consultationId,
    domain: c.domain,
    completedAt: c.completedAt.toISOString(),
    ...(c.adopted !== undefined && { adopted: c.adopted }),
    ...(c.askedAt && { askedAt: c.askedAt.toISOString() }),
    ...(c.answeredAt && { answeredAt: c.answeredAt.toISOString() }),
    sourceEventId: c.sourceEventId,
  };
}

/** Community partners: their profiles, search by domain, and the consultation history property reports. */
@Injectable()
export class PartnersService implements OnApplicationBootstrap {
  constructor(
    private readonly partners: PartnersRepository,
    private readonly people: PeopleDirectory,
    private readonly consumers: DurableConsumers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: CONSULTATIONS_CONSUMER,
      event: PropertyEvents.consultationCompleted,
      handle: (event) => this.onConsultationCompleted(event),
    });
  }

  /** Idempotent by the event id: a redelivered completion is recorded once. */
  async onConsultationCompleted(event: EventEnvelope<ConsultationCompletedData>): Promise<void> {
    const { data } = event;
    await this.partners.recordConsultation({
      communityId: new Types.ObjectId(event.communityId),
      personId: data.partnerPersonId,
      consultationId: data.consultationId,
      domain: data.domain as PartnerDomain,
      completedAt: new Date(data.completedAt),
      ...(data.adopted !== undefined && { adopted: data.adopted }),
      ...(data.askedAt && { askedAt: new Date(data.askedAt) }),
      ...(data.answeredAt && { answeredAt: new Date(data.answeredAt) }),
      sourceEventId: event.id,
    });
  }

  async save(caller: Principal, communityId: string, personId: string, dto: PartnerProfileDto): Promise<PartnerView> {
    assertCommunityAccess(caller, communityId);
    if (caller.personId !== personId && !hasAnyRole(caller, COMMUNITY_MANAGERS)) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only the partner or community staff may change this profile');
    }
    const person = await this.people.require(communityId, personId, 'personId');
    const saved = await this.partners.save({
      _id: new Types.ObjectId(personId),
      communityId: new Types.ObjectId(communityId),
      name: person.name,
      domains: dto.domains,
      qualifications: dto.qualifications.map((q) => q.trim()),
      availability: dto.availability,
      maxOpenConsultations: dto.maxOpenConsultations,
      ...(dto.introduction && { introduction: dto.introduction }),
      buildingId: new Types.ObjectId(person.buildingId),
      gridId: new Types.ObjectId(person.gridId),
    });
    return toPartnerView(saved);
  }

  async get(caller: Principal, communityId: string, personId: string): Promise<PartnerView> {
    assertCommunityAccess(caller, communityId);
    const found = await this.partners.find(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      objectId(personId, ErrorCode.NOT_FOUND),
    );
    if (!found) throw new DomainException(ErrorCode.NOT_FOUND, `${personId} is not a community partner here`);
    return toPartnerView(found);
  }

  /** Any member of the community may look for a partner to ask. */
  async list(caller: Principal, communityId: string, query: PartnerQueryDto): Promise<PartnerPage> {
    assertCommunityAccess(caller, communityId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const docs = await this.partners.list(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      query.domain,
      query.cursor,
      limit,
    );
    return toPage(docs, limit, toPartnerView);
  }

  async consultations(
    caller: Principal,
    communityId: string,
    personId: string,
    page: PageQueryDto,
  ): Promise<PartnerConsultationsView> {
    assertCommunityAccess(caller, communityId);
    if (caller.personId !== personId && !hasAnyRole(caller, HISTORY_READERS)) {
      throw new DomainException(
        ErrorCode.FORBIDDEN,
        "A partner's consultations are for the partner, staff and the owners' committee",
      );
    }
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const [docs, counts] = await Promise.all([
      this.partners.listConsultations(community, personId, page.cursor, limit),
      this.partners.countConsultations(community, personId),
    ]);
    return { personId, ...counts, ...toPage(docs, limit, toConsultationView) };
  }
}
