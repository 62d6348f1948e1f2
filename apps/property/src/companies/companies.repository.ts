import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { DomainException, ErrorCode, Page } from '@cg/contracts';
import { PageRequest, insertOnce, isDuplicateKey, paginate } from '@cg/persistence';
import { Model, Types } from 'mongoose';
import { PropertyCompany, ServiceContract, ServiceProgramme } from './company.schema';

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

  /** Inserts the company, or answers the one a first attempt of the same write stored under its `_id`. */
  async insertCompany(company: PropertyCompany): Promise<PropertyCompany> {
    try {
      return (await insertOnce(this.companies, company)).doc;
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

  /**
   * Writes the contract unless another took its sequence number first; false then. The same write retried
   * (same `_id`) finds its contract stored and writes nothing.
   */
  async insertContract(contract: ServiceContract): Promise<boolean> {
    try {
      await insertOnce(this.contracts, contract);
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

  listContracts<V>(communityId: Types.ObjectId, page: PageRequest, map: (doc: ServiceContract) => V): Promise<Page<V>> {
    return paginate(this.contracts, { communityId }, page, map);
  }

  /** Inserts the programme, or answers the one a first attempt of the same write stored under its `_id`. */
  async insertProgramme(programme: ServiceProgramme): Promise<ServiceProgramme> {
    return (await insertOnce(this.programmes, programme)).doc;
  }

  listProgrammes<V>(
    communityId: Types.ObjectId,
    companyId: Types.ObjectId | undefined,
    page: PageRequest,
    map: (doc: ServiceProgramme) => V,
  ): Promise<Page<V>> {
    return paginate(this.programmes, { communityId, ...(companyId && { companyId }) }, page, map);
  }
}
