import { ServiceRequestAction, ServiceRequestCategory, ServiceRequestStatus } from '@cg/contracts';

const S = ServiceRequestStatus;
const A = ServiceRequestAction;

/** Which step leads from which status to which. Anything missing is an illegal step. */
const STEPS: Record<ServiceRequestAction, Partial<Record<ServiceRequestStatus, ServiceRequestStatus>>> = {
  [A.Accept]: { [S.Open]: S.Accepted },
  [A.Start]: { [S.Accepted]: S.InProgress },
  [A.Resolve]: { [S.Accepted]: S.Resolved, [S.InProgress]: S.Resolved },
  [A.Reopen]: { [S.Resolved]: S.InProgress },
  [A.Close]: { [S.Resolved]: S.Closed },
  [A.Cancel]: { [S.Open]: S.Cancelled, [S.Accepted]: S.Cancelled },
};

/** The status a step leads to, or undefined when the step is not allowed from `from`. */
export function nextStatus(from: ServiceRequestStatus, action: ServiceRequestAction): ServiceRequestStatus | undefined {
  return STEPS[action][from];
}

/** Who may take a step: the company's side works the request, the requester follows it up. */
export type StepActor = 'provider' | 'requester';

const ACTORS: Record<ServiceRequestAction, StepActor[]> = {
  [A.Accept]: ['provider'],
  [A.Start]: ['provider'],
  [A.Resolve]: ['provider'],
  [A.Reopen]: ['requester', 'provider'],
  [A.Close]: ['provider'],
  [A.Cancel]: ['requester', 'provider'],
};

export function mayTake(action: ServiceRequestAction, actors: StepActor[]): boolean {
  return ACTORS[action].some((actor) => actors.includes(actor));
}

const HOUR = 3600_000;

/** Service terms per category: hours to accept and hours to resolve, counted from opening. */
export const SERVICE_TERMS: Record<ServiceRequestCategory, { acceptHours: number; resolveHours: number }> = {
  [ServiceRequestCategory.Security]: { acceptHours: 1, resolveHours: 8 },
  [ServiceRequestCategory.Repair]: { acceptHours: 2, resolveHours: 48 },
  [ServiceRequestCategory.Cleaning]: { acceptHours: 4, resolveHours: 24 },
  [ServiceRequestCategory.Other]: { acceptHours: 8, resolveHours: 72 },
};

export function deadlinesFor(category: ServiceRequestCategory, openedAt: Date): { acceptBy: Date; resolveBy: Date } {
  const terms = SERVICE_TERMS[category];
  return {
    acceptBy: new Date(openedAt.getTime() + terms.acceptHours * HOUR),
    resolveBy: new Date(openedAt.getTime() + terms.resolveHours * HOUR),
  };
}

export interface RequestClock {
  status: ServiceRequestStatus;
  acceptBy: Date;
  resolveBy: Date;
  acceptedAt?: Date;
  resolvedAt?: Date;
}

/** A deadline has passed without the step it asks for. A deadline met exactly on time is not overdue. */
export function isOverdue(request: RequestClock, now: Date): boolean {
  if (request.status === S.Cancelled) return false;
  const acceptLate = request.acceptedAt ? request.acceptedAt > request.acceptBy : now > request.acceptBy;
  const resolveLate = request.resolvedAt ? request.resolvedAt > request.resolveBy : now > request.resolveBy;
  return acceptLate || resolveLate;
}

export function resolvedOnTime(request: Pick<RequestClock, 'resolveBy' | 'resolvedAt'>): boolean | undefined {
  return request.resolvedAt ? request.resolvedAt <= request.resolveBy : undefined;
}

/** Grid's case categories that concern the property company, mapped to the kind of service asked for. */
export function categoryOfCase(caseCategory: string): ServiceRequestCategory {
  switch (caseCategory) {
    case 'property_maintenance':
      return ServiceRequestCategory.Repair;
    case 'sanitation':
      return ServiceRequestCategory.Cleaning;
    case 'safety_hazard':
      return ServiceRequestCategory.Security;
    default:
      return ServiceRequestCategory.Other;
  }
}
