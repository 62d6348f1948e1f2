import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, Types } from 'mongoose';
import { StepClaim } from './step-claim.schema';

export interface VersionedStep {
  kind: string;
  communityId: Types.ObjectId;
  documentId: Types.ObjectId;
  /** The version the step leaves. */
  version: number;
  set: Record<string, unknown>;
  push?: Record<string, unknown>;
  by: string;
}

/** Applies a claimed step to its document: only from the claimed version, moving it on by one. */
export type ApplyStep = (step: Pick<VersionedStep, 'communityId' | 'documentId' | 'version' | 'set' | 'push'>) => Promise<boolean>;

@Injectable()
export class StepClaimsRepository implements OnModuleInit {
  constructor(@InjectModel(StepClaim.name) private readonly claims: Model<StepClaim>) {}

  async onModuleInit(): Promise<void> {
    await this.claims.createIndexes();
  }

  /**
   * Claims the step and applies it. False when another step from the same version was claimed first; that
   * step is applied here if its claimant died before doing so.
   */
  async claimAndApply(step: VersionedStep, apply: ApplyStep): Promise<boolean> {
    const _id = `${step.kind}:${String(step.documentId)}:${step.version}`;
    try {
      await this.claims.create({
        _id,
        communityId: step.communityId,
        version: step.version,
        set: step.set,
        ...(step.push && { push: step.push }),
        claimedBy: step.by,
        claimedAt: new Date(),
      });
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const winner = await this.claims.findById(_id).lean<StepClaim>().exec();
      if (winner) await apply({ communityId: step.communityId, documentId: step.documentId, version: winner.version, set: winner.set, push: winner.push });
      return false;
    }
    await apply(step);
    return true;
  }
}
