import { DomainException, ErrorCode, PositionKind } from '@cg/contracts';
import { assertAppointable, assertEnd, holdsOn, todayInChina } from './term-rules';

function codeOf(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    return (error as DomainException).code;
  }
  return undefined;
}

const chair = (personId: string, from: string, to?: string) => ({
  personId,
  position: PositionKind.Chair,
  from,
  ...(to && { to }),
});

describe('terms of positions in bodies', () => {
  it('holds a position from the first to the last day inclusive, or open-ended', () => {
    expect(holdsOn({ from: '2025-01-01', to: '2025-12-31' }, '2025-12-31')).toBe(true);
    expect(holdsOn({ from: '2025-01-01', to: '2025-12-31' }, '2026-01-01')).toBe(false);
    expect(holdsOn({ from: '2025-01-01' }, '2040-01-01')).toBe(true);
    expect(holdsOn({ from: '2025-01-01' }, '2024-12-31')).toBe(false);
  });

  it('takes the day in China Standard Time', () => {
    expect(todayInChina(new Date('2025-03-31T16:30:00Z'))).toBe('2025-04-01');
  });

  it('gives a chair one holder at a time, and the next chair the day after', () => {
    const held = [chair('a', '2021-01-01', '2025-12-31')];
    expect(codeOf(() => assertAppointable(chair('b', '2025-06-01'), held))).toBe(ErrorCode.ALREADY_TAKEN);
    expect(codeOf(() => assertAppointable(chair('b', '2026-01-01'), held))).toBeUndefined();
  });

  it('lets a body have several second secretaries and second echelon cadres at once', () => {
    const held = [
      { personId: 'a', position: PositionKind.SecondSecretary, from: '2025-01-01' },
      { personId: 'b', position: PositionKind.SecondEchelon, from: '2025-01-01' },
    ];
    expect(
      codeOf(() => assertAppointable({ personId: 'c', position: PositionKind.SecondSecretary, from: '2025-03-01' }, held)),
    ).toBeUndefined();
    expect(
      codeOf(() => assertAppointable({ personId: 'a', position: PositionKind.SecondSecretary, from: '2025-03-01' }, held)),
    ).toBe(ErrorCode.DUPLICATE);
  });

  it('refuses a term that ends before it starts, or on a day that does not exist', () => {
    expect(codeOf(() => assertAppointable(chair('a', '2025-05-01', '2025-04-30'), []))).toBe(ErrorCode.VALIDATION_FAILED);
    expect(codeOf(() => assertAppointable(chair('a', '2025-02-30'), []))).toBe(ErrorCode.VALIDATION_FAILED);
  });

  it('ends a term early but never past its fixed end', () => {
    expect(codeOf(() => assertEnd({ from: '2025-01-01', to: '2027-12-31' }, '2026-06-30'))).toBeUndefined();
    expect(codeOf(() => assertEnd({ from: '2025-01-01', to: '2027-12-31' }, '2028-01-01'))).toBe(
      ErrorCode.INVALID_TRANSITION,
    );
    expect(codeOf(() => assertEnd({ from: '2025-01-01' }, '2024-12-31'))).toBe(ErrorCode.VALIDATION_FAILED);
  });
});
