import { Injectable } from '@nestjs/common';
import { TokenService } from '@cg/auth';
import {
  CaseCategory,
  CaseLocationKind,
  CaseUrgency,
  CaseView,
  DomainException,
  ErrorCode,
  GridCaseRpc,
  Principal,
  Role,
} from '@cg/contracts';
import { RpcClient } from '@cg/messaging';
import {
  GEOREPORT_STATUSES,
  GeoReportRequest,
  GeoReportService,
  GeoReportServiceDefinition,
  GeoReportStatus,
  MAX_REQUESTS,
  caseStatusesOf,
  commaList,
  isServiceCode,
  requestWindow,
  serviceDefinition,
  toRequest,
  toService,
} from './georeport';
import { Jurisdictions } from './jurisdictions';
import { Open311Key, Open311Keys } from './open311-keys';
import { GeoReportCreatedView, GeoReportTokenView, NewServiceRequest, ServiceRequestListQuery } from './open311.dto';

const MAX_IDS = 100;
const PAGE = 200;
/** The token a filing is made with only has to last the call. */
const FILING_TOKEN_SECONDS = 60;

/**
 * GeoReport v2 over grid cases. Reads are public and show the public fields of the named community's cases; a
 * filing needs an api_key, and is made by the key's own identity, as a resident of the key's community would.
 */
@Injectable()
export class Open311Service {
  constructor(
    private readonly rpc: RpcClient,
    private readonly keys: Open311Keys,
    private readonly jurisdictions: Jurisdictions,
    private readonly tokens: TokenService,
  ) {}

  async services(jurisdictionId: string | undefined): Promise<GeoReportService[]> {
    await this.jurisdictions.communityOf(jurisdictionId);
    return Object.values(CaseCategory).map(toService);
  }

  async definition(jurisdictionId: string | undefined, serviceCode: string): Promise<GeoReportServiceDefinition> {
    await this.jurisdictions.communityOf(jurisdictionId);
    if (!isServiceCode(serviceCode)) throw new DomainException(ErrorCode.NOT_FOUND, `No service ${serviceCode}`);
    return serviceDefinition(serviceCode);
  }

  async file(body: NewServiceRequest, queryApiKey: string | undefined, queryJurisdiction: string | undefined): Promise<GeoReportCreatedView[]> {
    const key = await this.keys.authenticate(body.api_key ?? queryApiKey);
    const jurisdictionId = body.jurisdiction_id ?? queryJurisdiction;
    if (jurisdictionId && (await this.jurisdictions.communityOf(jurisdictionId)) !== key.communityId) {
      throw new DomainException(ErrorCode.API_KEY_INVALID, `api_key is not valid for jurisdiction ${jurisdictionId}`);
    }
    if (!body.address_id) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'address_id is required: requests are routed by the unit or building', [
        { field: 'address_id', reason: 'a unit id or a building id of the community' },
      ]);
    }
    if ((body.lat === undefined) !== (body.long === undefined)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'lat and long go together', [
        { field: body.lat === undefined ? 'lat' : 'long', reason: 'must be given with the other coordinate' },
      ]);
    }
    const token = this.tokens.issue(keyPrincipal(key), FILING_TOKEN_SECONDS);
    const fileAt = (locationKind: CaseLocationKind) =>
      this.rpc.send(
        GridCaseRpc.file,
        {
          communityId: key.communityId,
          case: {
            category: body.service_code,
            description: body.description ?? toService(body.service_code).service_name,
            urgency: body['attribute[urgency]'] ?? CaseUrgency.Normal,
            locationKind,
            locationId: body.address_id!,
            ...(body.address_string && { place: body.address_string }),
            ...(body.media_url && { photoUrls: [body.media_url] }),
            ...(body.lat !== undefined && body.long !== undefined && { latitude: body.lat, longitude: body.long }),
          },
        },
        { token },
      );
    const kind = body['attribute[location_kind]'];
    // Without location_kind, address_id is a unit's, or else a building's.
    const view = kind
      ? await fileAt(kind)
      : await fileAt(CaseLocationKind.Unit).catch((error: unknown) => {
          if (error instanceof DomainException && error.code === ErrorCode.UNIT_NOT_FOUND) return fileAt(CaseLocationKind.Building);
          throw error;
        });
    return [{ service_request_id: view.id, service_notice: toRequest(view).service_notice }];
  }

  async list(query: ServiceRequestListQuery): Promise<GeoReportRequest[]> {
    const communityId = await this.jurisdictions.communityOf(query.jurisdiction_id);
    const ids = commaList(query.service_request_id);
    if (ids.length > MAX_IDS) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, `At most ${MAX_IDS} service_request_id at once`, [
        { field: 'service_request_id', reason: `at most ${MAX_IDS} ids` },
      ]);
    }
    if (ids.length > 0) {
      const found = await Promise.all(ids.map((caseId) => this.find(communityId, caseId)));
      return found.filter((view): view is CaseView => view !== undefined).map(toRequest);
    }
    const codes = commaList(query.service_code);
    const unknownCode = codes.find((code) => !isServiceCode(code));
    if (unknownCode) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, `No service ${unknownCode}`, [
        { field: 'service_code', reason: `${unknownCode} is not a service code` },
      ]);
    }
    const statuses = commaList(query.status);
    const unknownStatus = statuses.find((status) => !(GEOREPORT_STATUSES as string[]).includes(status));
    if (unknownStatus) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, `No status ${unknownStatus}`, [
        { field: 'status', reason: 'open or closed, comma-delimited' },
      ]);
    }
    const { from, to } = requestWindow(query.start_date, query.end_date, new Date());
    const filter = {
      from: from.toISOString(),
      // end_date is the latest instant included.
      to: new Date(to.getTime() + 1).toISOString(),
      ...(codes.length > 0 && { categories: codes as CaseCategory[] }),
      ...(statuses.length > 0 && { status: caseStatusesOf(statuses as GeoReportStatus[]) }),
    };
    const requests: GeoReportRequest[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.rpc.send(GridCaseRpc.list, {
        communityId,
        query: { ...filter, limit: Math.min(PAGE, MAX_REQUESTS - requests.length), ...(cursor && { cursor }) },
      });
      requests.push(...page.items.map(toRequest));
      cursor = page.nextCursor;
    } while (cursor && requests.length < MAX_REQUESTS);
    return requests;
  }

  async get(jurisdictionId: string | undefined, caseId: string): Promise<GeoReportRequest[]> {
    const communityId = await this.jurisdictions.communityOf(jurisdictionId);
    const view = await this.find(communityId, caseId);
    if (!view) throw new DomainException(ErrorCode.NOT_FOUND, `No service request ${caseId}`);
    return [toRequest(view)];
  }

  /** Requests are created at once, so a token is the request's id. */
  async token(jurisdictionId: string | undefined, token: string): Promise<GeoReportTokenView[]> {
    const [request] = await this.get(jurisdictionId, token);
    return [{ service_request_id: request.service_request_id, token }];
  }

  private find(communityId: string, caseId: string): Promise<CaseView | undefined> {
    return this.rpc.send(GridCaseRpc.get, { communityId, caseId }).catch((error: unknown) => {
      if (error instanceof DomainException && error.code === ErrorCode.NOT_FOUND) return undefined;
      throw error;
    });
  }
}

/** Who files through a key: the client application, acting in the key's community alone. */
function keyPrincipal(key: Open311Key): Principal {
  return { sub: `open311-key:${key.id}`, name: key.name, roles: [Role.Resident], communityIds: [key.communityId] };
}
