import { CaseAction, CaseRating, CaseStatus, DomainException, ErrorCode } from '@cg/contracts';
import { LifecycleState, decideStep } from './case-lifecycle';

const state = (status: CaseStatus, extra: Partial<LifecycleState> = {}): LifecycleState => ({
  status,
  reopenCount: 0,
  arbitrated: false,
  hasPendingExtension: false,
  ...extra,
});

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as DomainException).code;
  }
}

describe('the case lifecycle', () => {
  it('walks reported, accepted, assigned, in progress, resolved and closed', () => {
    const path: [CaseStatus, CaseAction, CaseStatus][] = [
      [CaseStatus.Reported, CaseAction.Accept, CaseStatus.Accepted],
      [CaseStatus.Accepted, CaseAction.Assign, CaseStatus.Assigned],
      [CaseStatus.Assigned, CaseAction.Start, CaseStatus.InProgress],
      [CaseStatus.InProgress, CaseAction.Resolve, CaseStatus.Resolved],
    ];
    for (const [from, action, to] of path)
      expect(decideStep(state(from), action)).toEqual({ to, recordedAs: action });
    expect(decideStep(state(CaseStatus.Resolved), CaseAction.Rate, CaseRating.Satisfied)).toEqual({
      to: CaseStatus.Closed,
      recordedAs: CaseAction.Rate,
    });
  });

  it('allows only the listed steps from each status and refuses every other with INVALID_TRANSITION', () => {
    const allowed: Record<CaseStatus, CaseAction[]> = {
      [CaseStatus.Reported]: [CaseAction.Accept, CaseAction.Return, CaseAction.Escalate],
      [CaseStatus.Accepted]: [
        CaseAction.Return,
        CaseAction.Assign,
        CaseAction.RequestExtension,
        CaseAction.Escalate,
      ],
      [CaseStatus.Assigned]: [CaseAction.Start, CaseAction.RequestExtension, CaseAction.Escalate],
      [CaseStatus.InProgress]: [CaseAction.Resolve, CaseAction.RequestExtension, CaseAction.Escalate],
      [CaseStatus.Resolved]: [CaseAction.Rate],
      [CaseStatus.Closed]: [],
      [CaseStatus.Returned]: [CaseAction.Arbitrate, CaseAction.Escalate],
    };
    for (const status of Object.values(CaseStatus)) {
      for (const action of Object.values(CaseAction)) {
        const code = codeOf(() => decideStep(state(status), action, CaseRating.Satisfied));
        if (allowed[status].includes(action))
          expect([status, action, code]).toEqual([status, action, undefined]);
        else expect([status, action, code]).toEqual([status, action, ErrorCode.INVALID_TRANSITION]);
      }
    }
  });

  it('reopens on the first dissatisfied rating and closes on the second', () => {
    expect(decideStep(state(CaseStatus.Resolved), CaseAction.Rate, CaseRating.Dissatisfied)).toEqual({
      to: CaseStatus.Accepted,
      recordedAs: CaseAction.Reopen,
    });
    expect(
      decideStep(state(CaseStatus.Resolved, { reopenCount: 1 }), CaseAction.Rate, CaseRating.Dissatisfied),
    ).toEqual({
      to: CaseStatus.Closed,
      recordedAs: CaseAction.Rate,
    });
  });

  it('lets a grid return a case once; after the community arbitrates it stays with the grid', () => {
    expect(decideStep(state(CaseStatus.Accepted), CaseAction.Return).to).toBe(CaseStatus.Returned);
    expect(decideStep(state(CaseStatus.Returned), CaseAction.Arbitrate).to).toBe(CaseStatus.Accepted);
    expect(
      codeOf(() => decideStep(state(CaseStatus.Accepted, { arbitrated: true }), CaseAction.Return)),
    ).toBe(ErrorCode.INVALID_TRANSITION);
  });

  it('keeps one extension request pending at a time and decides only a pending one', () => {
    expect(
      codeOf(() =>
        decideStep(state(CaseStatus.Assigned, { hasPendingExtension: true }), CaseAction.RequestExtension),
      ),
    ).toBe(ErrorCode.INVALID_TRANSITION);
    expect(
      decideStep(state(CaseStatus.Assigned, { hasPendingExtension: true }), CaseAction.ApproveExtension).to,
    ).toBe(CaseStatus.Assigned);
    expect(
      decideStep(state(CaseStatus.InProgress, { hasPendingExtension: true }), CaseAction.RejectExtension).to,
    ).toBe(CaseStatus.InProgress);
  });

  it('needs a rating to close', () => {
    expect(codeOf(() => decideStep(state(CaseStatus.Resolved), CaseAction.Rate))).toBe(
      ErrorCode.INVALID_TRANSITION,
    );
  });
});
