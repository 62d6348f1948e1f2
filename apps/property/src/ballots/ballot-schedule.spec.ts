import { ballotScheduleOf } from './ballot-schedule';

describe('the ballot closing schedule', () => {
  it('sweeps every 15 s and waits 30 s past the end by default', () => {
    expect(ballotScheduleOf({})).toEqual({ sweepMs: 15_000, closeGraceMs: 30_000 });
  });

  it('takes both from the environment', () => {
    expect(ballotScheduleOf({ BALLOT_SWEEP_MS: '200', BALLOT_CLOSE_GRACE_MS: '0' })).toEqual({ sweepMs: 200, closeGraceMs: 0 });
  });

  it('refuses a value that is not whole milliseconds, naming the variable', () => {
    expect(() => ballotScheduleOf({ BALLOT_SWEEP_MS: '5' })).toThrow(/BALLOT_SWEEP_MS/);
    expect(() => ballotScheduleOf({ BALLOT_CLOSE_GRACE_MS: 'soon' })).toThrow(/BALLOT_CLOSE_GRACE_MS/);
  });
});
