import { Injectable } from '@nestjs/common';
import {
  AppointDto,
  BodyPage,
  BodyQueryDto,
  BodyView,
  CreateBodyDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  EndTermDto,
  ErrorCode,
  EventContract,
  MembershipPositionEvents,
  PositionTermData,
  Principal,
  TermPage,
  TermQueryDto,
  TermView,
  newEvent,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { Outbox } from '@cg/messaging';
import { currentCorrelationId } from '@cg/observability';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { PeopleDirectory } from '../people/people.directory';
import { Body, Position, Term } from './body.schema';
import { BodiesRepository, positionId } from './bodies.repository';
import { assertAppointable, assertEnd, holdsOn, todayInChina } from './term-rules';

const CONCURRENT_CHANGE = 'The terms of this position kept changing meanwhile; reload and try again';
/** Attempts of one appointment against a position others keep changing meanwhile, before answering a conflict. */
const MAX_ATTEMPTS = 100;

function toBodyView(b: Body): BodyView {
  return {
    id: String(b._id),
    communityId: String(b.communityId),
    kind: b.kind,
    name: b.name,
    ...(b.parentBodyId && { parentBodyId: String(b.parentBodyId) }),
    ...(b.nodeId && { nodeId: String(b.nodeId) }),
    createdAt: (b.createdAt ?? new Date()).toISOString(),
  };
}

function toTermView(t: Term, today = todayInChina()): TermView {
  return {
    id: String(t._id),
    communityId: String(t.communityId),
    bodyId: String(t.bodyId),
    bodyKind: t.bodyKind,
    bodyName: t.bodyName,
    personId: String(t.personId),
    name: t.name,
    position: t.position,
    ...(t.title && { title: t.title }),
    from: t.from,
    ...(t.to && { to: t.to }),
    ...(t.endReason && { endReason: t.endReason }),
    current: holdsOn(t, today),
  };
}

/** Bodies of the community and the terms of the people holding positions in them, history kept. */
@Injectable()
export class BodiesService {
  constructor(
    private readonly bodies: BodiesRepository,
    private readonly people: PeopleDirectory,
    private readonly outbox: Outbox,
  ) {}

  /** The event of a term's appointment or end, written with the change. */
  private termEvent(caller: Principal, contract: EventContract<PositionTermData>, t: Term) {
    return newEvent(
      contract,
      {
        termId: String(t._id),
        bodyId: String(t.bodyId),
        bodyKind: t.bodyKind,
        bodyName: t.bodyName,
        personId: String(t.personId),
        name: t.name,
        position: t.position,
        from: t.from,
        ...(t.to && { to: t.to }),
      },
      { communityId: String(t.communityId), actor: caller.sub, correlationId: currentCorrelationId() },
    );
  }

  async create(caller: Principal, communityId: string, dto: CreateBodyDto): Promise<BodyView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    if (dto.parentBodyId) await this.load(community, dto.parentBodyId, 'parentBodyId');
    const body = await this.bodies.insertBody({
      _id: newId('body'),
      communityId: community,
      kind: dto.kind,
      name: dto.name,
      ...(dto.parentBodyId && { parentBodyId: new Types.ObjectId(dto.parentBodyId) }),
      ...(dto.nodeId && { nodeId: new Types.ObjectId(dto.nodeId) }),
      createdBy: caller.sub,
    });
    return toBodyView(body);
  }

  async get(caller: Principal, communityId: string, bodyId: string): Promise<BodyView> {
    assertCommunityAccess(caller, communityId);
    return toBodyView(await this.load(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND), bodyId));
  }

  async list(caller: Principal, communityId: string, query: BodyQueryDto): Promise<BodyPage> {
    assertCommunityAccess(caller, communityId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.bodies.listBodies(
      objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND),
      query.kind,
      query.cursor,
      limit,
    );
    return { ...page, items: page.items.map(toBodyView) };
  }

  /**
   * The holder checks run against every term of the position, and the new term is stored guarded by the revision
   * they saw: of two appointments decided at once, the second is decided again against the first.
   */
  async appoint(caller: Principal, communityId: string, bodyId: string, dto: AppointDto): Promise<TermView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const body = await this.load(community, bodyId);
    const person = await this.people.require(communityId, dto.personId, 'personId');
    const term: Term = {
      _id: newId('term'),
      communityId: community,
      bodyId: body._id,
      bodyKind: body.kind,
      bodyName: body.name,
      personId: new Types.ObjectId(dto.personId),
      name: person.name,
      position: dto.position,
      ...(dto.title && { title: dto.title }),
      from: dto.from,
      ...(dto.to && { to: dto.to }),
      appointedBy: caller.sub,
      createdAt: new Date(),
    };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const position = await this.bodies.findPosition(community, body._id, dto.position);
      const existing = position?.terms ?? [];
      // A retried appointment finds its term stored and answers it.
      const stored = existing.find((t) => t._id.equals(term._id));
      if (stored) return toTermView(stored);
      assertAppointable(
        { personId: dto.personId, position: dto.position, from: dto.from, ...(dto.to && { to: dto.to }) },
        existing.map((t) => ({ personId: String(t.personId), position: t.position, from: t.from, ...(t.to && { to: t.to }) })),
      );
      const event = this.termEvent(caller, MembershipPositionEvents.appointed, term);
      if (await this.bodies.saveTerms(community, body._id, dto.position, position?.revision ?? 0, [...existing, term], event)) {
        void this.outbox.deliver(Position.name, positionId(body._id, dto.position));
        return toTermView(term);
      }
    }
    throw new DomainException(ErrorCode.CONFLICT, CONCURRENT_CHANGE);
  }

  async endTerm(caller: Principal, communityId: string, bodyId: string, termId: string, dto: EndTermDto): Promise<TermView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const body = await this.load(community, bodyId);
    const id = objectId(termId, ErrorCode.NOT_FOUND);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const position = await this.bodies.findPositionOfTerm(community, body._id, id);
      const term = position?.terms.find((t) => t._id.equals(id));
      if (!position || !term) throw new DomainException(ErrorCode.NOT_FOUND, `No term ${termId} in this body`);
      assertEnd(term, dto.to);
      const ended: Term = { ...term, to: dto.to, endedBy: caller.sub, ...(dto.reason && { endReason: dto.reason }) };
      const terms = position.terms.map((t) => (t._id.equals(id) ? ended : t));
      const event = this.termEvent(caller, MembershipPositionEvents.termEnded, ended);
      if (await this.bodies.saveTerms(community, body._id, position.position, position.revision, terms, event)) {
        void this.outbox.deliver(Position.name, position._id);
        return toTermView(ended);
      }
    }
    throw new DomainException(ErrorCode.CONFLICT, CONCURRENT_CHANGE);
  }

  async terms(caller: Principal, communityId: string, bodyId: string, query: TermQueryDto): Promise<TermPage> {
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const body = await this.load(community, bodyId);
    return this.page(community, { ...this.filterOf(query), bodyId: body._id }, query);
  }

  /** Who holds which position across the community's bodies; `on` defaults to every term, past and present. */
  async positions(caller: Principal, communityId: string, query: TermQueryDto): Promise<TermPage> {
    assertCommunityAccess(caller, communityId);
    return this.page(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND), this.filterOf(query), query);
  }

  private filterOf(query: TermQueryDto) {
    return {
      ...(query.position && { position: query.position }),
      ...(query.personId && { personId: objectId(query.personId, ErrorCode.VALIDATION_FAILED) }),
      ...(query.on && { on: query.on }),
    };
  }

  private async page(community: Types.ObjectId, filter: Parameters<BodiesRepository['listTerms']>[1], query: TermQueryDto) {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.bodies.listTerms(community, filter, query.cursor, limit);
    const today = todayInChina();
    return { ...page, items: page.items.map((t) => toTermView(t, today)) };
  }

  private async load(community: Types.ObjectId, bodyId: string, field?: string): Promise<Body> {
    const body = await this.bodies.findBody(community, objectId(bodyId, ErrorCode.NOT_FOUND));
    if (!body) {
      throw new DomainException(
        ErrorCode.NOT_FOUND,
        `No body ${bodyId} in this community`,
        field ? [{ field, reason: `${bodyId} is not a body of this community` }] : undefined,
      );
    }
    return body;
  }
}
