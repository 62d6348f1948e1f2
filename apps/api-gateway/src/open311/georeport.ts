import { CaseCategory, CaseLocationKind, CaseStatus, CaseUrgency, CaseView, DomainException, ErrorCode } from '@cg/contracts';

/** GeoReport v2 speaks of two statuses; a resolved case counts as closed, as the problem was dealt with. */
export type GeoReportStatus = 'open' | 'closed';
export const GEOREPORT_STATUSES: readonly GeoReportStatus[] = ['open', 'closed'];
export type GeoReportFormat = 'json' | 'xml';
export const GEOREPORT_FORMATS: readonly GeoReportFormat[] = ['json', 'xml'];

/** The spec's default and longest window of GET requests, and its cap on the requests one answer holds. */
export const WINDOW_DAYS = 90;
export const MAX_REQUESTS = 1000;
const DAY_MS = 24 * 3600 * 1000;

const CLOSED: readonly CaseStatus[] = [CaseStatus.Resolved, CaseStatus.Closed];

export function georeportStatus(status: CaseStatus): GeoReportStatus {
  return CLOSED.includes(status) ? 'closed' : 'open';
}

/** The case statuses a `status` filter names. */
export function caseStatusesOf(statuses: readonly GeoReportStatus[]): CaseStatus[] {
  return Object.values(CaseStatus).filter((status) => statuses.includes(georeportStatus(status)));
}

const STATUS_NOTES: Record<CaseStatus, string> = {
  [CaseStatus.Reported]: 'Reported; waiting for the grid to sign for it',
  [CaseStatus.Accepted]: 'Signed for by the grid',
  [CaseStatus.Assigned]: 'Assigned to someone who will handle it',
  [CaseStatus.InProgress]: 'Being handled',
  [CaseStatus.Resolved]: 'Resolved; waiting for the reporter to rate the outcome',
  [CaseStatus.Closed]: 'Closed',
  [CaseStatus.Returned]: 'Returned by the grid; the community is deciding who handles it',
};

const NAMES: Record<CaseCategory, [string, string]> = {
  [CaseCategory.GroupRental]: ['Group rental', 'Order and safety'],
  [CaseCategory.HomeAsBusiness]: ['Home used as shop or office', 'Order and safety'],
  [CaseCategory.IllegalConstruction]: ['Illegal construction', 'Order and safety'],
  [CaseCategory.Noise]: ['Noise', 'Living environment'],
  [CaseCategory.Sanitation]: ['Sanitation and garbage sorting', 'Living environment'],
  [CaseCategory.PropertyMaintenance]: ['Property maintenance', 'Property services'],
  [CaseCategory.SafetyHazard]: ['Safety hazard', 'Order and safety'],
  [CaseCategory.NeighbourDispute]: ['Neighbour dispute', 'Neighbourhood'],
  [CaseCategory.Other]: ['Other', 'Other'],
};

export interface GeoReportService {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string;
}

export interface GeoReportAttributeValue {
  key: string;
  name: string;
}

export interface GeoReportAttribute {
  variable: boolean;
  code: string;
  datatype: 'singlevaluelist';
  required: boolean;
  datatype_description: string;
  order: number;
  description: string;
  values: GeoReportAttributeValue[];
}

export interface GeoReportServiceDefinition {
  service_code: string;
  attributes: GeoReportAttribute[];
}

/** The public face of a case: nothing about who filed it, and the building rather than the household. */
export interface GeoReportRequest {
  service_request_id: string;
  status: GeoReportStatus;
  status_notes: string;
  service_name: string;
  service_code: string;
  description: string;
  agency_responsible: string;
  service_notice: string;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string;
  address?: string;
  address_id: string;
  lat?: number;
  long?: number;
  media_url?: string;
}

/** Attribute codes of every service: how urgent it is and what `address_id` names. */
export const URGENCY_ATTRIBUTE = 'urgency';
export const LOCATION_KIND_ATTRIBUTE = 'location_kind';

const URGENCY_NAMES: Record<CaseUrgency, string> = {
  [CaseUrgency.Normal]: 'Normal',
  [CaseUrgency.Urgent]: 'Urgent',
  [CaseUrgency.Emergency]: 'Emergency: handled the same day',
};

const LOCATION_KIND_NAMES: Record<CaseLocationKind, string> = {
  [CaseLocationKind.Unit]: 'A household (address_id is a unit id)',
  [CaseLocationKind.Building]: 'A building (address_id is a building id)',
  [CaseLocationKind.CommonArea]: 'A common area next to a building (address_id is the building id)',
};

export function isServiceCode(code: string): code is CaseCategory {
  return (Object.values(CaseCategory) as string[]).includes(code);
}

export function toService(category: CaseCategory): GeoReportService {
  const [name, group] = NAMES[category];
  return {
    service_code: category,
    service_name: name,
    description: `${name}: reported to the grid of the address and handled within its deadline`,
    metadata: true,
    type: 'realtime',
    keywords: category.replace(/_/g, ','),
    group,
  };
}

export function serviceDefinition(category: CaseCategory): GeoReportServiceDefinition {
  const list = <K extends string>(names: Record<K, string>) =>
    (Object.entries(names) as [K, string][]).map(([key, name]) => ({ key, name }));
  return {
    service_code: category,
    attributes: [
      {
        variable: true,
        code: URGENCY_ATTRIBUTE,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: `One of: ${Object.values(CaseUrgency).join(', ')}; normal when not given`,
        order: 1,
        description: 'How urgent is it?',
        values: list(URGENCY_NAMES),
      },
      {
        variable: true,
        code: LOCATION_KIND_ATTRIBUTE,
        datatype: 'singlevaluelist',
        required: false,
        datatype_description: `One of: ${Object.values(CaseLocationKind).join(', ')}; when not given, a unit or else a building`,
        order: 2,
        description: 'What does address_id name?',
        values: list(LOCATION_KIND_NAMES),
      },
    ],
  };
}

/** W3C date-time in UTC, to the second. */
export function w3cDateTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function toRequest(view: CaseView): GeoReportRequest {
  const last = view.history.at(-1);
  return {
    service_request_id: view.id,
    status: georeportStatus(view.status),
    status_notes: STATUS_NOTES[view.status],
    // A community's own category has no Open311 name of its own: its code stands in.
    service_name: isServiceCode(view.category) ? NAMES[view.category][0] : view.category,
    service_code: view.category,
    description: view.description,
    agency_responsible: `grid:${view.gridId}`,
    service_notice: `Handled by grid ${view.gridId}; due by ${w3cDateTime(view.dueAt)}`,
    requested_datetime: w3cDateTime(view.reportedAt),
    updated_datetime: w3cDateTime(last?.at ?? view.reportedAt),
    expected_datetime: w3cDateTime(view.dueAt),
    ...(view.place && { address: view.place }),
    address_id: view.buildingId,
    ...(view.latitude !== undefined && view.longitude !== undefined && { lat: view.latitude, long: view.longitude }),
    ...(view.photoUrls[0] && { media_url: view.photoUrls[0] }),
  };
}

/**
 * The span GET requests covers: the 90 days up to `end_date` (or now), or from `start_date` on; a span longer
 * than 90 days, or one that ends before it starts, is refused.
 */
export function requestWindow(startDate: string | undefined, endDate: string | undefined, now: Date): { from: Date; to: Date } {
  const start = startDate ? new Date(startDate) : undefined;
  const end = endDate ? new Date(endDate) : undefined;
  const to = end ?? (start ? new Date(Math.min(now.getTime(), start.getTime() + WINDOW_DAYS * DAY_MS)) : now);
  const from = start ?? new Date(to.getTime() - WINDOW_DAYS * DAY_MS);
  if (from.getTime() > to.getTime()) {
    throw new DomainException(ErrorCode.VALIDATION_FAILED, 'end_date is before start_date', [
      { field: 'end_date', reason: 'must not be before start_date' },
    ]);
  }
  if (to.getTime() - from.getTime() > WINDOW_DAYS * DAY_MS) {
    throw new DomainException(ErrorCode.VALIDATION_FAILED, `start_date and end_date may not span more than ${WINDOW_DAYS} days`, [
      { field: 'end_date', reason: `at most ${WINDOW_DAYS} days after start_date` },
    ]);
  }
  return { from, to };
}

/** A comma-delimited list, as the spec passes several ids, codes or statuses. */
export function commaList(value: string | undefined): string[] {
  return [...new Set((value ?? '').split(',').map((item) => item.trim()).filter(Boolean))];
}
