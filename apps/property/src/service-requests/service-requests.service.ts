import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  EventEnvelope,
  GridEvents,
  OpenServiceRequestDto,
  Principal,
  PropertyCaseOpenedData,
  PropertyServiceEvents,
  RateServiceRequestDto,
  Role,
  ServiceRequestAction,
  ServiceRequestListQueryDto,
  ServiceRequestOrigin,
  ServiceRequestPage,
  ServiceRequestStatus,
  ServiceRequestStepDto,
  ServiceRequestView,
  hasAnyRole,
  newEvent,
} from '@cg/contracts';
import { assertCommunityAccess } from '@cg/auth';
import { DurableConsumers, Outbox } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { CompaniesService } from '../companies/companies.service';
import { ResidencyRepository } from '@cg/residency';
import { StepActor, categoryOfCase, deadlinesFor, isOverdue, mayTake, nextStatus, resolvedOnTime } from './lifecycle';
import { RequestStep, ServiceRequest } from './service-request.schema';
import { ServiceRequestsRepository } from './service-requests.repository';

export const PROPERTY_CASES_CONSUMER = 'property-service-requests-from-cases';
/** The company's side: property managers, and community staff who stand in for them. */
export const SERVICE_PROVIDERS = [Role.PropertyManager, Role.CommunityStaff, Role.DistrictAdmin];
/** Who may read every request of a community. */
const REQUEST_READERS = [...SERVICE_PROVIDERS, Role.OwnersCommitteeMember, Role.GridWorker];

function toView(request: ServiceRequest, now = new Date()): ServiceRequestView {
  const onTime = resolvedOnTime(request);
  return {
    id: String(request._id),
    communityId: String(request.communityId),
    origin: request.origin,
    ...(request.caseId && { caseId: request.caseId }),
    category: request.category,
    description: request.description,
    ...(request.unitId && { unitId: String(request.unitId) }),
    ...(request.buildingId && { buildingId: String(request.buildingId) }),
    ...(request.requesterPersonId && { requesterPersonId: request.requesterPersonId }),
    ...(request.companyId && { companyId: String(request.companyId) }),
    status: request.status,
    version: request.version,
    ...(request.handler && { handler: request.handler }),
    openedAt: request.openedAt.toISOString(),
    acceptBy: request.acceptBy.toISOString(),
    resolveBy: request.resolveBy.toISOString(),
    overdue: isOverdue(request, now),
    ...(request.resolvedAt && { resolvedAt: request.resolvedAt.toISOString() }),
    ...(onTime !== undefined && { resolvedOnTime: onTime }),
    ...(request.rating && {
      rating: {
        score: request.rating.score,
        ...(request.rating.comment && { comment: request.rating.comment }),
        ratedAt: new Date(request.rating.ratedAt).toISOString(),
      },
    }),
    history: request.history.map((h) => ({
      action: h.action,
      ...(h.from && { from: h.from }),
      to: h.to,
      by: h.by,
      at: new Date(h.at).toISOString(),
      ...(h.note && { note: h.note }),
    })),
  };
}

@Injectable()
export class ServiceRequestsService implements OnApplicationBootstrap {
  constructor(
    private readonly requests: ServiceRequestsRepository,
    private readonly residences: ResidencyRepository,
    private readonly companies: CompaniesService,
    private readonly consumers: DurableConsumers,
    private readonly outbox: Outbox,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: PROPERTY_CASES_CONSUMER,
      event: GridEvents.propertyCaseOpened,
      handle: (event) => this.onPropertyCaseOpened(event),
    });
  }

  /** A resident asks the property company for a repair, cleaning or security. */
  async open(caller: Principal, communityId: string, dto: OpenServiceRequestDto): Promise<ServiceRequestView> {
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const residence = caller.personId
      ? await this.residences.findInCommunity(community, objectId(caller.personId, ErrorCode.NOT_ELIGIBLE))
      : null;
    if (!residence) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'Only residents registered in this community can open a service request');
    }
    const _id = newId('service-request');
    const request = await this.openRequest({
      _id,
      communityId: community,
      sourceKey: `request:${String(_id)}`,
      origin: ServiceRequestOrigin.Resident,
      category: dto.category,
      description: dto.description,
      unitId: residence.unitId,
      buildingId: residence.buildingId,
      requesterPersonId: caller.personId,
      openedAt: new Date(),
      by: caller.sub,
    });
    return toView(request!);
  }

  /** Opens one request per grid case about the property company's work; a redelivered event changes nothing. */
  async onPropertyCaseOpened(event: EventEnvelope<PropertyCaseOpenedData>): Promise<void> {
    const { data } = event;
    await this.openRequest({
      _id: new Types.ObjectId(),
      communityId: new Types.ObjectId(event.communityId),
      sourceKey: `grid-case:${data.caseId}`,
      origin: ServiceRequestOrigin.GridCase,
      caseId: data.caseId,
      category: categoryOfCase(data.category),
      description: data.description,
      ...(data.unitId && { unitId: new Types.ObjectId(data.unitId) }),
      ...(data.buildingId && { buildingId: new Types.ObjectId(data.buildingId) }),
      openedAt: new Date(data.reportedAt),
      by: event.actor,
    });
  }

  async get(caller: Principal, communityId: string, requestId: string): Promise<ServiceRequestView> {
    assertCommunityAccess(caller, communityId);
    const request = await this.load(communityId, requestId);
    if (!hasAnyRole(caller, [...REQUEST_READERS, Role.System]) && request.requesterPersonId !== caller.personId) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'You may only read your own service requests');
    }
    return toView(request);
  }

  /** Staff and the company see every request; a resident sees their own. */
  async list(caller: Principal, communityId: string, query: ServiceRequestListQueryDto): Promise<ServiceRequestPage> {
    assertCommunityAccess(caller, communityId);
    const everyone = hasAnyRole(caller, [...REQUEST_READERS, Role.System]);
    if (!everyone && !caller.personId) throw new DomainException(ErrorCode.FORBIDDEN, 'Only residents have service requests of their own');
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const now = new Date();
    return this.requests.list(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      { ...(query.status && { status: query.status }), ...(!everyone && { requesterPersonId: caller.personId }) },
      { cursor: query.cursor, limit },
      (doc) => toView(doc, now),
    );
  }

  async step(caller: Principal, communityId: string, requestId: string, dto: ServiceRequestStepDto): Promise<ServiceRequestView> {
    assertCommunityAccess(caller, communityId);
    const request = await this.load(communityId, requestId);
    const actors = this.actorsOf(caller, request);
    if (!mayTake(dto.action, actors)) {
      throw new DomainException(ErrorCode.FORBIDDEN, `You may not ${dto.action} this service request`);
    }
    if (dto.action === ServiceRequestAction.Close && request.requesterPersonId) {
      throw new DomainException(ErrorCode.INVALID_TRANSITION, "A resident's request is closed by the resident's rating");
    }
    const now = new Date();
    const set: Partial<ServiceRequest> = {
      ...(dto.action === ServiceRequestAction.Accept && { acceptedAt: now, ...(dto.handler && { handler: dto.handler }) }),
      ...(dto.action === ServiceRequestAction.Resolve && { resolvedAt: now }),
      ...(dto.action === ServiceRequestAction.Close && { closedAt: now }),
    };
    const events =
      dto.action === ServiceRequestAction.Resolve
        ? [
            newEvent(
              PropertyServiceEvents.serviceRequestResolved,
              {
                requestId: String(request._id),
                ...(request.caseId && { caseId: request.caseId }),
                resolvedAt: now.toISOString(),
                ...((dto.handler ?? request.handler) && { handler: dto.handler ?? request.handler }),
                ...(dto.note && { note: dto.note }),
              },
              { communityId: String(request.communityId), actor: caller.sub, correlationId: currentCorrelationId() },
            ),
          ]
        : [];
    return this.apply(caller, request, dto.action, dto.version, set, dto.note, events);
  }

  /** The requester rates a resolved request, which closes it. */
  async rate(caller: Principal, communityId: string, requestId: string, dto: RateServiceRequestDto): Promise<ServiceRequestView> {
    assertCommunityAccess(caller, communityId);
    const request = await this.load(communityId, requestId);
    if (!request.requesterPersonId || request.requesterPersonId !== caller.personId) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only the resident who asked may rate this service request');
    }
    const now = new Date();
    const rating = { score: dto.score, ...(dto.comment && { comment: dto.comment }), ratedAt: now };
    return this.apply(caller, request, ServiceRequestAction.Close, dto.version, { rating, closedAt: now }, dto.comment);
  }

  private async apply(
    caller: Principal,
    request: ServiceRequest,
    action: ServiceRequestAction,
    version: number | undefined,
    set: Partial<ServiceRequest>,
    note?: string,
    events: EventEnvelope[] = [],
  ): Promise<ServiceRequestView> {
    if (version !== undefined && version !== request.version) {
      throw new DomainException(ErrorCode.CONFLICT, `The request changed since version ${version}; it is at version ${request.version}`);
    }
    const to = nextStatus(request.status, action);
    if (!to) throw new DomainException(ErrorCode.INVALID_TRANSITION, `A ${request.status} service request cannot ${action}`);
    const entry: RequestStep = { action, from: request.status, to, by: caller.sub, at: new Date(), ...(note && { note }) };
    if (!(await this.requests.step(request, { ...set, status: to }, entry, events))) {
      throw new DomainException(ErrorCode.CONFLICT, 'The request was changed by someone else at the same time; reload it and retry');
    }
    if (events.length > 0) void this.outbox.deliver(ServiceRequest.name, request._id);
    return toView({ ...request, ...set, status: to, version: request.version + 1, history: [...request.history, entry] });
  }

  private actorsOf(caller: Principal, request: ServiceRequest): StepActor[] {
    const actors: StepActor[] = [];
    if (hasAnyRole(caller, [...SERVICE_PROVIDERS, Role.System])) actors.push('provider');
    if (request.requesterPersonId && request.requesterPersonId === caller.personId) actors.push('requester');
    return actors;
  }

  private async openRequest(
    fields: Pick<
      ServiceRequest,
      '_id' | 'communityId' | 'sourceKey' | 'origin' | 'caseId' | 'category' | 'description' | 'unitId' | 'buildingId' | 'requesterPersonId' | 'openedAt'
    > & { by: string },
  ): Promise<ServiceRequest | null> {
    const { by, ...request } = fields;
    const contract = await this.companies.contractOn(request.communityId, request.openedAt);
    const status = ServiceRequestStatus.Open;
    return this.requests.insertOnce({
      ...request,
      ...(contract && { companyId: contract.companyId }),
      status,
      version: 1,
      ...deadlinesFor(request.category, request.openedAt),
      history: [{ action: 'open', to: status, by, at: request.openedAt }],
    });
  }

  private async load(communityId: string, requestId: string): Promise<ServiceRequest> {
    const request = await this.requests.findOne({
      communityId: objectId(communityId, ErrorCode.NOT_FOUND),
      _id: objectId(requestId, ErrorCode.NOT_FOUND),
    });
    if (!request) throw new DomainException(ErrorCode.NOT_FOUND, `No service request ${requestId} in this community`);
    return request;
  }
}
