import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { BodyKind, PositionKind } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { Body, Term } from './body.schema';

export interface TermFilter {
  bodyId?: Types.ObjectId;
  position?: PositionKind;
  personId?: Types.ObjectId;
  /** Only terms held on this day, YYYY-MM-DD. */
  on?: string;
}

@Injectable()
export class BodiesRepository implements OnModuleInit {
  constructor(
    @InjectModel(Body.name) private readonly bodies: Model<Body>,
    @InjectModel(Term.name) private readonly terms: Model<Term>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.bodies.createIndexes(), this.terms.createIndexes()]);
  }

  async insertBody(body: Body): Promise<Body> {
    return (await this.bodies.create(body)).toObject();
  }

  findBody(communityId: Types.ObjectId, bodyId: Types.ObjectId): Promise<Body | null> {
    return this.bodies.findOne({ _id: bodyId, communityId }).lean<Body>().exec();
  }

  listBodies(communityId: Types.ObjectId, kind: BodyKind | undefined, cursor: string | undefined, limit: number) {
    const filter: CommunityFilter<Body> = { communityId, ...(kind && { kind }), ...pageFilter(cursor) };
    return this.bodies.find(filter).sort({ _id: 1 }).limit(limit + 1).lean<Body[]>().exec();
  }

  async insertTerm(term: Term): Promise<Term> {
    return (await this.terms.create(term)).toObject();
  }

  findTerm(communityId: Types.ObjectId, bodyId: Types.ObjectId, termId: Types.ObjectId): Promise<Term | null> {
    return this.terms.findOne({ _id: termId, communityId, bodyId }).lean<Term>().exec();
  }

  /** Every term of one position in a body, past and present. */
  termsOfPosition(communityId: Types.ObjectId, bodyId: Types.ObjectId, position: PositionKind): Promise<Term[]> {
    return this.terms.find({ communityId, bodyId, position }).lean<Term[]>().exec();
  }

  async endTerm(term: Term, to: string, endedBy: string, endReason?: string): Promise<Term> {
    return this.terms
      .findOneAndUpdate(
        { _id: term._id, communityId: term.communityId },
        { $set: { to, endedBy, ...(endReason && { endReason }) } },
        { new: true },
      )
      .lean<Term>()
      .orFail()
      .exec();
  }

  listTerms(communityId: Types.ObjectId, filter: TermFilter, cursor: string | undefined, limit: number) {
    const query: CommunityFilter<Term> = {
      communityId,
      ...(filter.bodyId && { bodyId: filter.bodyId }),
      ...(filter.position && { position: filter.position }),
      ...(filter.personId && { personId: filter.personId }),
      ...(filter.on && { from: { $lte: filter.on }, $or: [{ to: { $exists: false } }, { to: { $gte: filter.on } }] }),
      ...pageFilter(cursor),
    };
    return this.terms.find(query).sort({ _id: 1 }).limit(limit + 1).lean<Term[]>().exec();
  }
}
