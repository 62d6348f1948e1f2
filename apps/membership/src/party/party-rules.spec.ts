import {
  DualRegistrationStatus,
  ErrorCode,
  PartyMemberStatus,
  ServiceKind,
  ServiceReportView,
} from '@cg/contracts';
import {
  localDate,
  periodBounds,
  quarterOf,
  registrationCoverage,
  renderReportCsv,
  reportPeriod,
} from './party-rules';

describe('report periods', () => {
  it('finds the calendar quarter of a date', () => {
    expect(quarterOf('2025-05-10')).toEqual({ from: '2025-04-01', to: '2025-06-30' });
    expect(quarterOf('2024-01-01')).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(quarterOf('2025-12-31')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
  });

  it('defaults to the current quarter in China Standard Time', () => {
    // 17:00 UTC on 31 March is already 1 April in Shanghai.
    expect(reportPeriod({}, new Date('2025-03-31T17:00:00Z'))).toEqual({
      from: '2025-04-01',
      to: '2025-06-30',
    });
    expect(localDate(new Date('2025-03-31T15:59:59Z'))).toBe('2025-03-31');
  });

  it('refuses half a period or one that ends before it starts', () => {
    expect(() => reportPeriod({ from: '2025-01-01' }, new Date())).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }),
    );
    expect(() => reportPeriod({ from: '2025-02-01', to: '2025-01-01' }, new Date())).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }),
    );
  });

  it('covers whole local days', () => {
    const { start, end } = periodBounds({ from: '2025-04-01', to: '2025-06-30' });
    expect(start.toISOString()).toBe('2025-03-31T16:00:00.000Z');
    expect(end.toISOString()).toBe('2025-06-30T16:00:00.000Z');
  });
});

describe('the CSV report', () => {
  it('quotes commas and quotes, and defuses spreadsheet formulas', () => {
    const report = {
      member: { name: 'Li, "Ming"', workplaceOrganisation: '=HYPERLINK("x")' },
      from: '2025-04-01',
      to: '2025-06-30',
      serviceCount: 1,
      totalHours: '2.00',
      services: [
        {
          id: '1',
          kind: ServiceKind.Manual,
          description: 'Duty, stairwell',
          hours: '-1.50',
          occurredAt: '2025-05-10T02:00:00Z',
          sourceEventId: 'm',
        },
      ],
    } as unknown as ServiceReportView;
    const lines = renderReportCsv(report).split('\r\n');
    expect(lines[0]).toBe('member,"Li, ""Ming"""');
    expect(lines[1]).toBe(`workplace organisation,"'=HYPERLINK(""x"")"`);
    expect(lines[7]).toBe('2025-05-10,manual,,"Duty, stairwell",-1.50');
  });
});

describe('registration coverage', () => {
  it('counts members and approved registrations per building party group and grid', () => {
    const row = (buildingId: string, gridId: string, registration: DualRegistrationStatus) => ({
      buildingId,
      gridId,
      status: PartyMemberStatus.InService,
      registration,
    });
    const coverage = registrationCoverage([
      row('b1', 'g1', DualRegistrationStatus.Approved),
      row('b1', 'g1', DualRegistrationStatus.Requested),
      row('b2', 'g1', DualRegistrationStatus.Approved),
      row('b3', 'g2', DualRegistrationStatus.None),
    ]);
    expect(coverage).toEqual({
      members: 4,
      registered: 2,
      buildingPartyGroups: [
        { id: 'b1', members: 2, registered: 1 },
        { id: 'b2', members: 1, registered: 1 },
        { id: 'b3', members: 1, registered: 0 },
      ],
      grids: [
        { id: 'g1', members: 3, registered: 2 },
        { id: 'g2', members: 1, registered: 0 },
      ],
    });
  });
});
