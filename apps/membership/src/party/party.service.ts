import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ActivitiesEvents,
  ClaimPostDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  DualRegistrationStatus,
  ErrorCode,
  EventEnvelope,
  LogServiceDto,
  MembershipVolunteerEvents,
  MicroWishFulfilledData,
  PartyMemberDto,
  PartyMemberPage,
  PartyMemberQueryDto,
  PartyMemberStatus,
  PartyMemberView,
  Principal,
  RegistrationCoverageView,
  RegistrationDecisionDto,
  Role,
  ServiceKind,
  ServicePost,
  ServiceRecordView,
  ServiceReportCsv,
  ServiceReportQueryDto,
  ServiceReportView,
  VolunteerHoursRecordedData,
  hasAnyRole,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { DurableConsumers } from '@cg/messaging';
import { newId, objectId, toPage } from '@cg/persistence';
import { Types } from 'mongoose';
import { PeopleDirectory } from '../people/people.directory';
import { formatHundredths, parseHundredths } from '../quantities/hundredths';
import { periodBounds, registrationCoverage, renderReportCsv, reportPeriod } from './party-rules';
import { PartyMember, ServiceRecord } from './party.schema';
import { PartyRepository } from './party.repository';

export const MICRO_WISHES_CONSUMER = 'membership-party-micro-wishes';
export const VOLUNTEER_HOURS_CONSUMER = 'membership-party-volunteer-hours';

function toMemberView(m: PartyMember): PartyMemberView {
  return {
    personId: String(m.personId),
    communityId: String(m.communityId),
    name: m.name,
    workplaceOrganisation: m.workplaceOrganisation,
    joinedOn: m.joinedOn,
    status: m.status,
    buildingPartyGroupId: String(m.buildingId),
    gridId: String(m.gridId),
    registration: m.registration,
    ...(m.requestedAt && { requestedAt: m.requestedAt.toISOString() }),
    ...(m.decidedAt && { decidedAt: m.decidedAt.toISOString() }),
    ...(m.decisionNote && { decisionNote: m.decisionNote }),
    posts: m.posts ?? [],
  };
}

function toServiceView(s: ServiceRecord): ServiceRecordView {
  return {
    id: String(s._id),
    kind: s.kind,
    ...(s.post && { post: s.post }),
    description: s.description,
    hours: formatHundredths(s.hoursHundredths),
    occurredAt: s.occurredAt.toISOString(),
    sourceEventId: s.sourceEventId,
  };
}

/** Party members, their dual registration with the community, service posts, service log and reports. */
@Injectable()
export class PartyService implements OnApplicationBootstrap {
  constructor(
    private readonly party: PartyRepository,
    private readonly people: PeopleDirectory,
    private readonly consumers: DurableConsumers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: MICRO_WISHES_CONSUMER,
      event: ActivitiesEvents.microWishFulfilled,
      handle: (event) => this.onMicroWishFulfilled(event),
    });
    await this.consumers.start({
      durable: VOLUNTEER_HOURS_CONSUMER,
      event: MembershipVolunteerEvents.hoursRecorded,
      handle: (event) => this.onVolunteerHours(event),
    });
  }

  /** A micro-wish a party member claimed and fulfilled is a service; logged once per event. */
  async onMicroWishFulfilled(event: EventEnvelope<MicroWishFulfilledData>): Promise<void> {
    const { data } = event;
    if (data.claimantKind !== 'party_member' || !data.claimantPersonId) return;
    await this.party.logOnce({
      _id: new Types.ObjectId(),
      communityId: new Types.ObjectId(event.communityId),
      personId: new Types.ObjectId(data.claimantPersonId),
      kind: ServiceKind.MicroWish,
      post: ServicePost.MicroWish,
      description: `Micro-wish ${data.wishId} fulfilled`,
      hoursHundredths: 0,
      occurredAt: new Date(data.fulfilledAt),
      sourceEventId: event.id,
      recordedBy: event.actor,
    });
  }

  /** Volunteer hours of a party member count as service too (other volunteers' hours are not logged here). */
  async onVolunteerHours(event: EventEnvelope<VolunteerHoursRecordedData>): Promise<void> {
    const { data } = event;
    const community = new Types.ObjectId(event.communityId);
    const personId = new Types.ObjectId(data.personId);
    if (!(await this.party.findMember(community, personId))) return;
    await this.party.logOnce({
      _id: new Types.ObjectId(),
      communityId: community,
      personId,
      kind: ServiceKind.VolunteerHours,
      description: data.description ?? `Volunteer ${data.source}`,
      hoursHundredths: parseHundredths(data.hours),
      occurredAt: new Date(data.occurredAt),
      sourceEventId: event.id,
      recordedBy: event.actor,
    });
  }

  async save(
    caller: Principal,
    communityId: string,
    personId: string,
    dto: PartyMemberDto,
  ): Promise<PartyMemberView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const person = await this.people.require(communityId, personId, 'personId');
    const saved = await this.party.saveMember(new Types.ObjectId(communityId), new Types.ObjectId(personId), {
      name: person.name,
      workplaceOrganisation: dto.workplaceOrganisation,
      joinedOn: dto.joinedOn,
      status: dto.status,
      buildingId: new Types.ObjectId(person.buildingId),
      gridId: new Types.ObjectId(person.gridId),
    });
    return toMemberView(saved);
  }

  async get(caller: Principal, communityId: string, personId: string): Promise<PartyMemberView> {
    this.assertSelfOrStaff(caller, communityId, personId);
    return toMemberView(await this.member(communityId, personId));
  }

  async list(caller: Principal, communityId: string, query: PartyMemberQueryDto): Promise<PartyMemberPage> {
    // Grid workers read the list to know which registered members can take on work in their grid.
    assertRole(caller, [...COMMUNITY_MANAGERS, Role.GridWorker]);
    assertCommunityAccess(caller, communityId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const docs = await this.party.list(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      query.registration,
      query.cursor,
      limit,
    );
    return toPage(docs, limit, toMemberView);
  }

  /** The member asks to register with the residential community; only members in service do dual registration. */
  async requestRegistration(
    caller: Principal,
    communityId: string,
    personId: string,
  ): Promise<PartyMemberView> {
    this.assertSelfOrStaff(caller, communityId, personId);
    const member = await this.member(communityId, personId);
    if (member.status !== PartyMemberStatus.InService) {
      throw new DomainException(ErrorCode.NOT_ELIGIBLE, 'Dual registration is for members in service');
    }
    const updated = await this.party.transition(
      member.communityId,
      member.personId,
      [DualRegistrationStatus.None, DualRegistrationStatus.Rejected],
      { registration: DualRegistrationStatus.Requested, requestedAt: new Date() },
    );
    if (!updated) {
      throw new DomainException(
        ErrorCode.INVALID_TRANSITION,
        `The registration is already ${member.registration}`,
      );
    }
    return toMemberView(updated);
  }

  async decideRegistration(
    caller: Principal,
    communityId: string,
    personId: string,
    decision: RegistrationDecisionDto,
  ): Promise<PartyMemberView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const member = await this.member(communityId, personId);
    if (member.registration !== DualRegistrationStatus.Requested || !member.requestedAt) {
      throw new DomainException(
        ErrorCode.INVALID_TRANSITION,
        'Only a requested registration can be approved or rejected',
      );
    }
    const won = await this.party.decide({
      communityId: member.communityId,
      personId: member.personId,
      requestedAt: member.requestedAt,
      approve: decision.approve,
      ...(decision.note && { note: decision.note }),
      decidedBy: caller.sub,
    });
    if (!won) throw new DomainException(ErrorCode.INVALID_TRANSITION, 'This request was decided already');
    const updated = await this.member(communityId, personId);
    return toMemberView(updated);
  }

  async claimPost(
    caller: Principal,
    communityId: string,
    personId: string,
    claim: ClaimPostDto,
  ): Promise<PartyMemberView> {
    this.assertSelfOrStaff(caller, communityId, personId);
    const member = await this.member(communityId, personId);
    const updated = await this.party.claimPost(member.communityId, member.personId, claim.post);
    if (!updated)
      throw new DomainException(
        ErrorCode.NOT_ELIGIBLE,
        'Service posts are for members whose registration is approved',
      );
    return toMemberView(updated);
  }

  async logService(
    caller: Principal,
    communityId: string,
    personId: string,
    dto: LogServiceDto,
  ): Promise<ServiceRecordView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const member = await this.member(communityId, personId);
    // A retried entry gets the same id, and so the same source: logged once.
    const _id = newId('party-service');
    const record = await this.party.logOnce({
      _id,
      communityId: member.communityId,
      personId: member.personId,
      kind: ServiceKind.Manual,
      ...(dto.post && { post: dto.post }),
      description: dto.description,
      hoursHundredths: parseHundredths(dto.hours),
      // Noon local time keeps the day the same in every report period.
      occurredAt: new Date(`${dto.servedOn}T12:00:00+08:00`),
      sourceEventId: `manual:${_id}`,
      recordedBy: caller.sub,
    });
    return toServiceView(record);
  }

  async report(
    caller: Principal,
    communityId: string,
    personId: string,
    query: ServiceReportQueryDto,
  ): Promise<ServiceReportView> {
    this.assertSelfOrStaff(caller, communityId, personId);
    const member = await this.member(communityId, personId);
    const period = reportPeriod(query, new Date());
    const { start, end } = periodBounds(period);
    const services = await this.party.servicesIn(member.communityId, member.personId, start, end);
    const total = services.reduce((sum, s) => sum + s.hoursHundredths, 0);
    return {
      member: toMemberView(member),
      from: period.from,
      to: period.to,
      serviceCount: services.length,
      totalHours: formatHundredths(total),
      services: services.map(toServiceView),
    };
  }

  async reportCsv(
    caller: Principal,
    communityId: string,
    personId: string,
    query: ServiceReportQueryDto,
  ): Promise<ServiceReportCsv> {
    const report = await this.report(caller, communityId, personId, query);
    return {
      filename: `service-report-${personId}-${report.from}-${report.to}.csv`,
      csv: renderReportCsv(report),
    };
  }

  async coverage(caller: Principal, communityId: string): Promise<RegistrationCoverageView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const rows = await this.party.coverageRows(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND));
    return registrationCoverage(
      rows.map((r) => ({
        buildingId: String(r.buildingId),
        gridId: String(r.gridId),
        status: r.status,
        registration: r.registration,
      })),
    );
  }

  private async member(communityId: string, personId: string): Promise<PartyMember> {
    const found = await this.party.findMember(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      objectId(personId, ErrorCode.NOT_FOUND),
    );
    if (!found)
      throw new DomainException(ErrorCode.NOT_FOUND, `${personId} is not a party member on record here`);
    return found;
  }

  private assertSelfOrStaff(caller: Principal, communityId: string, personId: string): void {
    assertCommunityAccess(caller, communityId);
    if (caller.personId !== personId && !hasAnyRole(caller, [...COMMUNITY_MANAGERS, Role.System])) {
      throw new DomainException(ErrorCode.FORBIDDEN, 'Only the member or community staff may do this');
    }
  }
}
