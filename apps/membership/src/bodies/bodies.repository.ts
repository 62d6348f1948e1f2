import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { BodyKind, EventEnvelope, Page, PositionKind } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, insertOnce, isDuplicateKey, pageFilter, paginate, toPage } from '@cg/persistence';
import { FilterQuery, Model, PipelineStage, Types } from 'mongoose';
import { Body, Position, Term } from './body.schema';

export interface TermFilter {
  bodyId?: Types.ObjectId;
  position?: PositionKind;
  personId?: Types.ObjectId;
  /** Only terms held on this day, YYYY-MM-DD. */
  on?: string;
}

export const positionId = (bodyId: Types.ObjectId | string, position: PositionKind) => `${String(bodyId)}:${position}`;

@Injectable()
export class BodiesRepository implements OnModuleInit {
  constructor(
    @InjectModel(Body.name) private readonly bodies: Model<Body>,
    @InjectModel(Position.name) private readonly positions: Model<Position>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.bodies.createIndexes(), this.positions.createIndexes()]);
  }

  /** A new body; a retried creation answers the body it made. */
  async insertBody(body: Body): Promise<Body> {
    return (await insertOnce(this.bodies, body)).doc;
  }

  findBody(communityId: Types.ObjectId, bodyId: Types.ObjectId): Promise<Body | null> {
    return this.bodies.findOne({ _id: bodyId, communityId }).lean<Body>().exec();
  }

  listBodies(communityId: Types.ObjectId, kind: BodyKind | undefined, cursor: string | undefined, limit: number): Promise<Page<Body>> {
    const filter: CommunityFilter<Body> = { communityId, ...(kind && { kind }) };
    return paginate(this.bodies, filter, { cursor, limit }, (b) => b);
  }

  /** The position with every term of it; null before its first appointment. */
  findPosition(communityId: Types.ObjectId, bodyId: Types.ObjectId, position: PositionKind): Promise<Position | null> {
    return this.positions.findOne({ _id: positionId(bodyId, position), communityId }, { outbox: 0 }).lean<Position>().exec();
  }

  /** The position holding the term. */
  findPositionOfTerm(communityId: Types.ObjectId, bodyId: Types.ObjectId, termId: Types.ObjectId): Promise<Position | null> {
    return this.positions.findOne({ communityId, bodyId, 'terms._id': termId }, { outbox: 0 }).lean<Position>().exec();
  }

  /**
   * Stores the position's terms as decided from revision `from` (0: the position had no term yet) in one write.
   * False when another appointment or end of a term of this position came first. The change's event is written
   * with it.
   */
  async saveTerms(
    communityId: Types.ObjectId,
    bodyId: Types.ObjectId,
    position: PositionKind,
    from: number,
    terms: Term[],
    event: EventEnvelope,
  ): Promise<boolean> {
    const _id = positionId(bodyId, position);
    if (from === 0) {
      try {
        await this.positions.create({ _id, communityId, bodyId, position, revision: 1, terms, outbox: [event] });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    }
    const result = await this.positions
      .updateOne({ _id, revision: from }, { $set: { terms, revision: from + 1 }, ...pushEvents(event) })
      .exec();
    return result.modifiedCount === 1;
  }

  /** Terms of the community's positions in term order, one page after `cursor`. */
  async listTerms(communityId: Types.ObjectId, filter: TermFilter, cursor: string | undefined, limit: number): Promise<Page<Term>> {
    const positions: FilterQuery<Position> = {
      communityId,
      ...(filter.bodyId && { bodyId: filter.bodyId }),
      ...(filter.position && { position: filter.position }),
      ...(filter.personId && { 'terms.personId': filter.personId }),
    };
    const terms: FilterQuery<Term> = {
      ...(filter.personId && { personId: filter.personId }),
      ...(filter.on && { from: { $lte: filter.on }, $or: [{ to: { $exists: false } }, { to: { $gte: filter.on } }] }),
      ...pageFilter(cursor),
    };
    const pipeline: PipelineStage[] = [
      { $match: positions },
      { $unwind: '$terms' },
      { $replaceRoot: { newRoot: '$terms' } },
      { $match: terms },
      { $sort: { _id: 1 } },
      { $limit: limit + 1 },
    ];
    return toPage(await this.positions.aggregate<Term>(pipeline).exec(), limit, (t) => t);
  }
}
