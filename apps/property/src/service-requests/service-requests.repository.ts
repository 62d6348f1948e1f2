import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { EventEnvelope, Page, ServiceRequestStatus } from '@cg/contracts';
import { pushEvents } from '@cg/messaging';
import { CommunityFilter, PageRequest, findOneById, insertOnce, isDuplicateKey, paginate } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { RequestStep, ServiceRequest } from './service-request.schema';

export type EvaluatedRequest = Pick<ServiceRequest, 'status' | 'resolvedAt' | 'resolveBy' | 'rating'>;

@Injectable()
export class ServiceRequestsRepository implements OnModuleInit {
  constructor(@InjectModel(ServiceRequest.name) private readonly requests: Model<ServiceRequest>) {}

  async onModuleInit(): Promise<void> {
    await this.requests.createIndexes();
  }

  /**
   * Inserts the request, or answers the one a first attempt of the same write stored under its `_id`; null when
   * another request with the same source already exists.
   */
  async insertOnce(request: ServiceRequest): Promise<ServiceRequest | null> {
    try {
      return (await insertOnce(this.requests, request)).doc;
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  findOne(filter: CommunityFilter<ServiceRequest>): Promise<ServiceRequest | null> {
    return findOneById<ServiceRequest>(this.requests, filter);
  }

  /**
   * Takes one step from the status and version the request was read at, in one update with the events it causes:
   * false when another step moved it first.
   */
  async step(
    request: Pick<ServiceRequest, '_id' | 'communityId' | 'status' | 'version'>,
    set: Partial<ServiceRequest>,
    entry: RequestStep,
    events: EventEnvelope[] = [],
  ): Promise<boolean> {
    const result = await this.requests.updateOne(
      {
        _id: request._id,
        communityId: request.communityId,
        status: request.status,
        version: request.version,
      },
      { $set: set, $inc: { version: 1 }, $push: { history: entry, ...(events.length > 0 && pushEvents(...events).$push) } },
    );
    return result.modifiedCount === 1;
  }

  list<V>(
    communityId: Types.ObjectId,
    filter: { status?: ServiceRequestStatus; requesterPersonId?: string },
    page: PageRequest,
    map: (doc: ServiceRequest) => V,
  ): Promise<Page<V>> {
    return paginate(
      this.requests,
      {
        communityId,
        ...(filter.status && { status: filter.status }),
        ...(filter.requesterPersonId && { requesterPersonId: filter.requesterPersonId }),
      },
      page,
      map,
    );
  }

  /** Requests for a company opened in [from, to), with what its evaluation needs. */
  openedBetween(
    communityId: Types.ObjectId,
    companyId: Types.ObjectId,
    from: Date,
    to: Date,
  ): Promise<EvaluatedRequest[]> {
    return this.requests
      .find(
        { communityId, companyId, openedAt: { $gte: from, $lt: to } },
        { _id: 0, status: 1, resolvedAt: 1, resolveBy: 1, rating: 1 },
      )
      .lean<EvaluatedRequest[]>()
      .exec();
  }
}
