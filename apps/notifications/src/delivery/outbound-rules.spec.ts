import { NoticeChannelName, NoticeKind } from '@cg/contracts';
import { OutboundPreferences, localTime, nextDigestAt, planDelivery, quietUntil, retryDelayMs, sendableAt, wants, zonedInstant } from './outbound-rules';

const TZ = 'Asia/Shanghai';
const prefs = (over: Partial<OutboundPreferences> = {}): OutboundPreferences => ({
  email: 'li.ming@example.org',
  channels: { email: { enabled: true, mutedKinds: [] } },
  timeZone: TZ,
  digest: { enabled: false, at: '20:00' },
  ...over,
});
/** 2026-03-10 at local HH:MM in Shanghai (UTC+8). */
const sh = (time: string) => new Date(`2026-03-10T${time}:00+08:00`);

describe('outbound rules', () => {
  it('reads local time in the chosen zone', () => {
    expect(localTime(new Date('2026-03-10T23:30:00Z'), TZ)).toEqual({ date: '2026-03-11', minutes: 7 * 60 + 30 });
    expect(zonedInstant('2026-03-11', 7 * 60 + 30, TZ).toISOString()).toBe('2026-03-10T23:30:00.000Z');
    expect(zonedInstant('2026-07-01', 9 * 60, 'Europe/Berlin').toISOString()).toBe('2026-07-01T07:00:00.000Z');
  });

  it('sends only over a channel that is on, for kinds not muted, to a known address', () => {
    expect(wants(prefs(), NoticeChannelName.Email, NoticeKind.CaseResolved)).toBe(true);
    expect(wants(prefs({ channels: { email: { enabled: false, mutedKinds: [] } } }), NoticeChannelName.Email, NoticeKind.CaseResolved)).toBe(false);
    expect(wants(prefs({ channels: { email: { enabled: true, mutedKinds: [NoticeKind.CaseResolved] } } }), NoticeChannelName.Email, NoticeKind.CaseResolved)).toBe(false);
    expect(wants(prefs({ email: undefined }), NoticeChannelName.Email, NoticeKind.CaseResolved)).toBe(false);
    expect(wants(prefs(), NoticeChannelName.Sms, NoticeKind.CaseResolved)).toBe(false);
  });

  it('defers a send inside quiet hours to their end, across midnight too', () => {
    const quiet = { start: '22:00', end: '07:00' };
    expect(quietUntil(sh('23:15'), quiet, TZ)?.toISOString()).toBe(new Date('2026-03-11T07:00:00+08:00').toISOString());
    expect(quietUntil(sh('06:59'), quiet, TZ)?.toISOString()).toBe(sh('07:00').toISOString());
    expect(quietUntil(sh('07:00'), quiet, TZ)).toBeUndefined();
    expect(quietUntil(sh('12:00'), quiet, TZ)).toBeUndefined();
    expect(quietUntil(sh('13:30'), { start: '13:00', end: '14:00' }, TZ)?.toISOString()).toBe(sh('14:00').toISOString());
    expect(sendableAt(sh('12:00'), { quietHours: quiet, timeZone: TZ })).toEqual(sh('12:00'));
  });

  it('puts e-mail on the digest at the next digest time, keyed by its local date', () => {
    expect(nextDigestAt(sh('19:59'), '20:00', TZ)).toEqual({ at: sh('20:00'), date: '2026-03-10' });
    expect(nextDigestAt(sh('20:00'), '20:00', TZ)).toEqual({ at: new Date('2026-03-11T20:00:00+08:00'), date: '2026-03-11' });
    const plan = planDelivery('p1', sh('09:00'), sh('09:00'), prefs({ digest: { enabled: true, at: '20:00' } }), NoticeChannelName.Email, NoticeKind.CaseResolved);
    expect(plan).toEqual({ dueAt: sh('20:00'), digestKey: 'p1:2026-03-10' });
  });

  it('plans a send now, after a later publish time, or after quiet hours; none when unwanted', () => {
    expect(planDelivery('p1', sh('09:00'), sh('08:00'), prefs(), NoticeChannelName.Email, NoticeKind.CaseResolved)).toEqual({ dueAt: sh('09:00') });
    expect(planDelivery('p1', sh('09:00'), sh('10:00'), prefs(), NoticeChannelName.Email, NoticeKind.CaseResolved)).toEqual({ dueAt: sh('10:00') });
    const quiet = prefs({ quietHours: { start: '08:00', end: '09:30' } });
    expect(planDelivery('p1', sh('09:00'), sh('09:00'), quiet, NoticeChannelName.Email, NoticeKind.CaseResolved)).toEqual({ dueAt: sh('09:30') });
    expect(planDelivery('p1', sh('09:00'), sh('09:00'), prefs(), NoticeChannelName.WeChat, NoticeKind.CaseResolved)).toBeUndefined();
  });

  it('waits longer after each failed try, up to ten minutes', () => {
    expect([1, 2, 3].map(retryDelayMs)).toEqual([2000, 4000, 8000]);
    expect(retryDelayMs(30)).toBe(600_000);
  });
});
