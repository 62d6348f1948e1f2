import { CaseAction, CaseRating, CaseStatus, DomainException, ErrorCode } from '@cg/contracts';

/** What the lifecycle needs to know about a case to decide a step. */
export interface LifecycleState {
  status: CaseStatus;
  reopenCount: number;
  /** The community decided which grid handles it; the grid may not return it again. */
  arbitrated: boolean;
  hasPendingExtension: boolean;
}

export interface LifecycleStep {
  to: CaseStatus;
  /** The action written into the history: a dissatisfied first rating is recorded as a reopen. */
  recordedAs: CaseAction;
}

/** A dissatisfied rating sends the case back for re-handling this many times; after that it closes. */
export const MAX_REOPENS = 1;

const OPEN: readonly CaseStatus[] = [
  CaseStatus.Reported,
  CaseStatus.Accepted,
  CaseStatus.Assigned,
  CaseStatus.InProgress,
  CaseStatus.Returned,
];
const HANDLING: readonly CaseStatus[] = [CaseStatus.Accepted, CaseStatus.Assigned, CaseStatus.InProgress];

const MOVES: Partial<Record<CaseAction, { from: readonly CaseStatus[]; to?: CaseStatus }>> = {
  [CaseAction.Accept]: { from: [CaseStatus.Reported], to: CaseStatus.Accepted },
  [CaseAction.Return]: { from: [CaseStatus.Reported, CaseStatus.Accepted], to: CaseStatus.Returned },
  [CaseAction.Arbitrate]: { from: [CaseStatus.Returned], to: CaseStatus.Accepted },
  [CaseAction.Assign]: { from: [CaseStatus.Accepted], to: CaseStatus.Assigned },
  [CaseAction.Start]: { from: [CaseStatus.Assigned], to: CaseStatus.InProgress },
  [CaseAction.Resolve]: { from: [CaseStatus.InProgress], to: CaseStatus.Resolved },
  [CaseAction.Rate]: { from: [CaseStatus.Resolved], to: CaseStatus.Closed },
  [CaseAction.RequestExtension]: { from: HANDLING },
  [CaseAction.ApproveExtension]: { from: HANDLING },
  [CaseAction.RejectExtension]: { from: HANDLING },
  [CaseAction.Escalate]: { from: OPEN },
};

function refuse(state: LifecycleState, action: CaseAction, why: string): never {
  throw new DomainException(
    ErrorCode.INVALID_TRANSITION,
    `Cannot ${action.replace(/_/g, ' ')} a case that is ${state.status.replace(/_/g, ' ')}: ${why}`,
    {
      status: state.status,
      action,
    },
  );
}

export function isOpen(status: CaseStatus): boolean {
  return OPEN.includes(status);
}

/** The one place that decides whether a step is allowed and where it leads. Throws INVALID_TRANSITION. */
export function decideStep(state: LifecycleState, action: CaseAction, rating?: CaseRating): LifecycleStep {
  const move = MOVES[action];
  if (!move) refuse(state, action, 'it is not a step of an existing case');
  if (!move.from.includes(state.status)) {
    refuse(state, action, `allowed only when ${move.from.join(' or ')}`);
  }
  if (action === CaseAction.Return && state.arbitrated) {
    refuse(state, action, 'the community already decided which grid handles it');
  }
  if (action === CaseAction.RequestExtension && state.hasPendingExtension) {
    refuse(state, action, 'an extension request is already waiting for a decision');
  }
  if (
    (action === CaseAction.ApproveExtension || action === CaseAction.RejectExtension) &&
    !state.hasPendingExtension
  ) {
    refuse(state, action, 'no extension was requested');
  }
  if (action === CaseAction.Rate) {
    if (!rating) refuse(state, action, 'a rating is required');
    if (rating === CaseRating.Dissatisfied && state.reopenCount < MAX_REOPENS) {
      return { to: CaseStatus.Accepted, recordedAs: CaseAction.Reopen };
    }
  }
  return { to: move.to ?? state.status, recordedAs: action };
}

/** The lifecycle's view of a stored case. */
export function lifecycleOf(record: {
  status: CaseStatus;
  reopenCount: number;
  arbitrated: boolean;
  pendingExtension?: unknown;
}): LifecycleState {
  return {
    status: record.status,
    reopenCount: record.reopenCount,
    arbitrated: record.arbitrated,
    hasPendingExtension: Boolean(record.pendingExtension),
  };
}
