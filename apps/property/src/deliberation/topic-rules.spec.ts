import { TopicDecision, TopicScope } from '@cg/contracts';
import { ballotReadiness, expiresAtOf, isExpired, topicExpiryDaysOf, withinScope } from './topic-rules';

describe('the rules of a forum topic', () => {
  const raisedAt = new Date('2026-06-01T08:00:00Z');
  const expiresAt = expiresAtOf(raisedAt, 30);

  it('expires the configured number of days after it was raised, 30 unless set', () => {
    expect(topicExpiryDaysOf(undefined)).toBe(30);
    expect(topicExpiryDaysOf('')).toBe(30);
    expect(topicExpiryDaysOf('7')).toBe(7);
    expect(expiresAt.toISOString()).toBe('2026-07-01T08:00:00.000Z');
    for (const bad of ['0', '-1', '2.5', 'soon', '3651']) expect(() => topicExpiryDaysOf(bad)).toThrow(/TOPIC_EXPIRY_DAYS/);
  });

  it('is open one millisecond before its expiry and expired at the instant itself', () => {
    expect(isExpired({ expiresAt }, new Date(expiresAt.getTime() - 1))).toBe(false);
    expect(isExpired({ expiresAt }, expiresAt)).toBe(true);
    expect(isExpired({ expiresAt }, new Date(expiresAt.getTime() + 1))).toBe(true);
  });

  it('never expires once it reached the threshold in time, nor when stored without an expiry', () => {
    const later = new Date(expiresAt.getTime() + 86_400_000);
    expect(isExpired({ expiresAt, thresholdReachedAt: new Date(expiresAt.getTime() - 1) }, later)).toBe(false);
    expect(isExpired({}, later)).toBe(false);
  });

  it('takes supports from residents of its building or grid only, and from any resident for the community', () => {
    const home = { buildingId: 'b1', gridId: 'g1' };
    expect(withinScope({ scope: TopicScope.Community }, home)).toBe(true);
    expect(withinScope({ scope: TopicScope.Building, scopeId: 'b1' }, home)).toBe(true);
    expect(withinScope({ scope: TopicScope.Building, scopeId: 'b2' }, home)).toBe(false);
    expect(withinScope({ scope: TopicScope.Grid, scopeId: 'g1' }, home)).toBe(true);
    expect(withinScope({ scope: TopicScope.Grid, scopeId: 'b1' }, home)).toBe(false);
    expect(withinScope({ scope: TopicScope.Community }, null)).toBe(false);
  });

  it('goes to a ballot only after a take-up and a response referring it to the owners', () => {
    expect(ballotReadiness(null, null)).toEqual({ ready: false, reason: 'not_taken_up' });
    expect(ballotReadiness({}, null)).toEqual({ ready: false, reason: 'no_response' });
    expect(ballotReadiness({}, { decision: TopicDecision.Accepted })).toEqual({ ready: false, reason: 'not_referred' });
    expect(ballotReadiness({}, { decision: TopicDecision.Declined })).toEqual({ ready: false, reason: 'not_referred' });
    expect(ballotReadiness({}, { decision: TopicDecision.ReferredToBallot })).toEqual({ ready: true });
  });
});
