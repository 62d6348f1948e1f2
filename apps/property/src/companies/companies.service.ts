import { Injectable } from '@nestjs/common';
import {
  CommunityPropertyServiceView,
  CreatePropertyCompanyDto,
  CreateServiceProgrammeDto,
  DEFAULT_PAGE_SIZE,
  DomainException,
  ErrorCode,
  PageQueryDto,
  Principal,
  PropertyCompanyView,
  RecordServiceContractDto,
  Role,
  ServiceContractPage,
  ServiceContractView,
  ServiceProgrammePage,
  ServiceProgrammeView,
} from '@cg/contracts';
import { COMMUNITY_MANAGERS, assertCommunityAccess, assertRole } from '@cg/auth';
import { newId, objectId } from '@cg/persistence';
import { Types } from 'mongoose';
import { PropertyCompany, ServiceContract, ServiceProgramme } from './company.schema';
import { CompaniesRepository } from './companies.repository';

/** Who runs the company's programmes in a community. */
export const PROGRAMME_MANAGERS = [Role.PropertyManager, ...COMMUNITY_MANAGERS];

/** The calendar day of an instant in China Standard Time, as YYYY-MM-DD. */
export function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function toCompanyView(company: PropertyCompany): PropertyCompanyView {
  return {
    id: String(company._id),
    name: company.name,
    creditCode: company.creditCode,
    ...(company.partyBranch && { partyBranch: company.partyBranch }),
    createdAt: company.createdAt.toISOString(),
  };
}

function toContractView(contract: ServiceContract): ServiceContractView {
  return {
    id: String(contract._id),
    communityId: String(contract.communityId),
    companyId: String(contract.companyId),
    companyName: contract.companyName,
    startsOn: contract.startsOn,
    endsOn: contract.endsOn,
    recordedBy: contract.recordedBy,
  };
}

function toProgrammeView(programme: ServiceProgramme): ServiceProgrammeView {
  return {
    id: String(programme._id),
    communityId: String(programme.communityId),
    companyId: String(programme.companyId),
    name: programme.name,
    kind: programme.kind,
    ...(programme.schedule && { schedule: programme.schedule }),
    ...(programme.description && { description: programme.description }),
  };
}

@Injectable()
export class CompaniesService {
  constructor(private readonly companies: CompaniesRepository) {}

  async create(caller: Principal, dto: CreatePropertyCompanyDto): Promise<PropertyCompanyView> {
    assertRole(caller, [Role.DistrictAdmin]);
    const company = await this.companies.insertCompany({
      _id: newId('property-company'),
      name: dto.name,
      creditCode: dto.creditCode,
      ...(dto.partyBranch && {
        partyBranch: {
          name: dto.partyBranch.name,
          ...(dto.partyBranch.secretary && { secretary: dto.partyBranch.secretary }),
          ...(dto.partyBranch.members !== undefined && { members: dto.partyBranch.members }),
        },
      }),
      createdBy: caller.sub,
      createdAt: new Date(),
    });
    return toCompanyView(company);
  }

  async get(caller: Principal, companyId: string): Promise<PropertyCompanyView> {
    assertRole(caller, [Role.DistrictAdmin]);
    return toCompanyView(await this.company(companyId));
  }

  /** A contract period may not share a day with another contract of the same community. */
  async recordContract(caller: Principal, communityId: string, dto: RecordServiceContractDto): Promise<ServiceContractView> {
    assertRole(caller, COMMUNITY_MANAGERS);
    assertCommunityAccess(caller, communityId);
    for (const [field, value] of [['startsOn', dto.startsOn], ['endsOn', dto.endsOn]] as const) {
      if (!DAY.test(value)) throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Contract dates are calendar days', [{ field, reason: `${field} must be YYYY-MM-DD` }]);
    }
    if (dto.endsOn < dto.startsOn) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The contract must end on or after its first day', [
        { field: 'endsOn', reason: 'endsOn must not be before startsOn' },
      ]);
    }
    const company = await this.company(dto.companyId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const _id = newId('service-contract');
    const sequence = await this.companies.nextContractSequence(community);
    const clash = await this.companies.overlapping(community, dto.startsOn, dto.endsOn);
    // The same write retried meets its own contract, which it answers.
    const recorded = clash.find((c) => c._id.equals(_id));
    if (recorded) return toContractView(recorded);
    if (clash.length > 0) {
      throw new DomainException(
        ErrorCode.CONFLICT,
        `The period overlaps the contract of ${clash[0].companyName} from ${clash[0].startsOn} to ${clash[0].endsOn}`,
      );
    }
    const contract: ServiceContract = {
      _id,
      communityId: community,
      companyId: company._id,
      companyName: company.name,
      startsOn: dto.startsOn,
      endsOn: dto.endsOn,
      sequence,
      recordedBy: caller.sub,
      recordedAt: new Date(),
    };
    if (!(await this.companies.insertContract(contract))) {
      throw new DomainException(ErrorCode.CONFLICT, 'Another contract of this community was recorded at the same time; check the periods and retry');
    }
    return toContractView(contract);
  }

  async listContracts(caller: Principal, communityId: string, page: PageQueryDto): Promise<ServiceContractPage> {
    assertCommunityAccess(caller, communityId);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    return this.companies.listContracts(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND), { cursor: page.cursor, limit }, toContractView);
  }

  /** The company serving the community today, its contract and its programmes here. */
  async current(caller: Principal, communityId: string): Promise<CommunityPropertyServiceView> {
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const contract = await this.contractOn(community, new Date());
    if (!contract) throw new DomainException(ErrorCode.NOT_FOUND, 'No property company is under contract in this community today');
    const [company, programmes] = await Promise.all([
      this.company(String(contract.companyId)),
      this.companies.listProgrammes(community, contract.companyId, { limit: 200 }, toProgrammeView),
    ]);
    return { company: toCompanyView(company), contract: toContractView(contract), programmes: programmes.items };
  }

  /** A programme of the company serving the community today. */
  async createProgramme(caller: Principal, communityId: string, dto: CreateServiceProgrammeDto): Promise<ServiceProgrammeView> {
    assertRole(caller, PROGRAMME_MANAGERS);
    assertCommunityAccess(caller, communityId);
    const community = objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND);
    const contract = await this.contractOn(community, new Date());
    if (!contract) throw new DomainException(ErrorCode.INVALID_TRANSITION, 'No property company is under contract in this community today');
    const programme = await this.companies.insertProgramme({
      _id: newId('service-programme'),
      communityId: community,
      companyId: contract.companyId,
      name: dto.name,
      kind: dto.kind,
      ...(dto.schedule && { schedule: dto.schedule }),
      ...(dto.description && { description: dto.description }),
      createdBy: caller.sub,
      createdAt: new Date(),
    });
    return toProgrammeView(programme);
  }

  async listProgrammes(caller: Principal, communityId: string, page: PageQueryDto): Promise<ServiceProgrammePage> {
    assertCommunityAccess(caller, communityId);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    return this.companies.listProgrammes(objectId(communityId, ErrorCode.COMMUNITY_NOT_FOUND), undefined, { cursor: page.cursor, limit }, toProgrammeView);
  }

  contractOn(communityId: Types.ObjectId, at: Date): Promise<ServiceContract | null> {
    return this.companies.contractOn(communityId, chinaDay(at));
  }

  async company(companyId: string): Promise<PropertyCompany> {
    const company = await this.companies.findCompany(objectId(companyId, ErrorCode.NOT_FOUND));
    if (!company) throw new DomainException(ErrorCode.NOT_FOUND, `No property company ${companyId}`);
    return company;
  }
}
