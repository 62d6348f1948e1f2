import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { ServiceRequestStatus } from '@cg/contracts';
import { CommunityFilter, pageFilter } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { ApplyStep } from '../step-claims/step-claims.repository';
import { ServiceRequest } from './service-request.schema';

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

export type EvaluatedRequest = Pick<ServiceRequest, 'status' | 'resolvedAt' | 'resolveBy' | 'rating'>;

@Injectable()
export class ServiceRequestsRepository implements OnModuleInit {
  constructor(@InjectModel(ServiceRequest.name) private readonly requests: Model<ServiceRequest>) {}

  async onModuleInit(): Promise<void> {
    await this.requests.createIndexes();
  }

  /** Inserts the request; null when one with the same source already exists. */
  async insertOnce(request: ServiceRequest): Promise<ServiceRequest | null> {
    try {
      return (await this.requests.create(request)).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  findOne(filter: CommunityFilter<ServiceRequest>): Promise<ServiceRequest | null> {
    return this.requests.findOne(filter).lean<ServiceRequest>().exec();
  }

  /** Applies a claimed step: only from the version it leaves, moving the request on by one. */
  async applyStep(step: Parameters<ApplyStep>[0]): Promise<boolean> {
    const result = await this.requests.updateOne(
      { _id: step.documentId, communityId: step.communityId, version: step.version },
      { $set: { ...step.set, version: step.version + 1 }, ...(step.push && { $push: step.push }) },
    );
    return result.modifiedCount === 1;
  }

  list(
    communityId: Types.ObjectId,
    filter: { status?: ServiceRequestStatus; requesterPersonId?: string },
    cursor: string | undefined,
    limit: number,
  ): Promise<ServiceRequest[]> {
    return this.requests
      .find({
        communityId,
        ...(filter.status && { status: filter.status }),
        ...(filter.requesterPersonId && { requesterPersonId: filter.requesterPersonId }),
        ...pageFilter(cursor),
      })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<ServiceRequest[]>()
      .exec();
  }

  /** Requests for a company opened in [from, to), with what its evaluation needs. */
  openedBetween(communityId: Types.ObjectId, companyId: Types.ObjectId, from: Date, to: Date): Promise<EvaluatedRequest[]> {
    return this.requests
      .find({ communityId, companyId, openedAt: { $gte: from, $lt: to } }, { _id: 0, status: 1, resolvedAt: 1, resolveBy: 1, rating: 1 })
      .lean<EvaluatedRequest[]>()
      .exec();
  }
}
