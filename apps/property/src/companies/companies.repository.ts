import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode } from '@cg/contracts';
import { pageFilter } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { PropertyCompany, ServiceContract, ServiceProgramme } from './company.schema';

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

@Injectable()
export class CompaniesRepository implements OnModuleInit {
  constructor(
    @InjectModel(PropertyCompany.name) private readonly companies: Model<PropertyCompany>,
    @InjectModel(ServiceContract.name) private readonly contracts: Model<ServiceContract>,
    @InjectModel(ServiceProgramme.name) private readonly programmes: Model<ServiceProgramme>,
  ) {}

  async onModuleInit(): Promise<void> {
    await Promise.all([this.companies.createIndexes(), this.contracts.createIndexes(), this.programmes.createIndexes()]);
  }

  async insertCompany(company: PropertyCompany): Promise<PropertyCompany> {
    try {
      return (await this.companies.create(company)).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new DomainException(ErrorCode.DUPLICATE, `A company with credit code ${company.creditCode} is already registered`);
      throw error;
    }
  }

  findCompany(companyId: Types.ObjectId): Promise<PropertyCompany | null> {
    return this.companies.findById(companyId).lean<PropertyCompany>().exec();
  }

  /** The sequence number the next contract of a community takes. */
  nextContractSequence(communityId: Types.ObjectId): Promise<number> {
    return this.contracts.countDocuments({ communityId }).exec();
  }

  /** Writes the contract unless another took its sequence number first; false then. */
  async insertContract(contract: ServiceContract): Promise<boolean> {
    try {
      await this.contracts.create(contract);
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  /** Contracts of a community whose period shares at least one day with [startsOn, endsOn]. */
  overlapping(communityId: Types.ObjectId, startsOn: string, endsOn: string): Promise<ServiceContract[]> {
    return this.contracts.find({ communityId, startsOn: { $lte: endsOn }, endsOn: { $gte: startsOn } }).lean<ServiceContract[]>().exec();
  }

  contractOn(communityId: Types.ObjectId, day: string): Promise<ServiceContract | null> {
    return this.contracts.findOne({ communityId, startsOn: { $lte: day }, endsOn: { $gte: day } }).lean<ServiceContract>().exec();
  }

  listContracts(communityId: Types.ObjectId, cursor: string | undefined, limit: number): Promise<ServiceContract[]> {
    return this.contracts
      .find({ communityId, ...pageFilter(cursor) })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<ServiceContract[]>()
      .exec();
  }

  async insertProgramme(programme: ServiceProgramme): Promise<ServiceProgramme> {
    return (await this.programmes.create(programme)).toObject();
  }

  listProgrammes(communityId: Types.ObjectId, companyId: Types.ObjectId | undefined, cursor: string | undefined, limit: number): Promise<ServiceProgramme[]> {
    return this.programmes
      .find({ communityId, ...(companyId && { companyId }), ...pageFilter(cursor) })
      .sort({ _id: 1 })
      .limit(limit + 1)
      .lean<ServiceProgramme[]>()
      .exec();
  }
}
