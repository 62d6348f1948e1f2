import { CaseCategory, CaseLocationKind, CaseStatus, CaseUrgency, CaseView, ErrorCode } from '@cg/contracts';
import {
  caseStatusesOf,
  commaList,
  georeportStatus,
  requestWindow,
  serviceDefinition,
  toRequest,
  toService,
  w3cDateTime,
} from './georeport';

const DAY = 24 * 3600 * 1000;
const NOW = new Date('2026-12-02T12:00:00Z');

function caseView(overrides: Partial<CaseView> = {}): CaseView {
  return {
    id: '665f1b2c9d3e4a0012345678',
    communityId: '665f1b2c9d3e4a0012340000',
    category: CaseCategory.Noise,
    urgency: CaseUrgency.Normal,
    description: 'Drilling after 22:00',
    photoUrls: [],
    locationKind: CaseLocationKind.Unit,
    unitId: '665f1b2c9d3e4a00123400aa',
    buildingId: '665f1b2c9d3e4a00123400bb',
    gridId: '665f1b2c9d3e4a00123400cc',
    areaId: '665f1b2c9d3e4a00123400dd',
    status: CaseStatus.Reported,
    version: 0,
    reporter: { sub: 'account-1', personId: 'person-1', name: 'Zhou Min' },
    reportedAt: '2026-12-01T08:15:30.123Z',
    signForDueAt: '2026-12-01T10:15:30.123Z',
    dueAt: '2026-12-04T08:15:30.123Z',
    flag: 'green' as CaseView['flag'],
    escalationLevel: 'grid' as CaseView['escalationLevel'],
    reopenCount: 0,
    history: [],
    ...overrides,
  };
}

describe('GeoReport v2 rules', () => {
  it('counts resolved and closed cases as closed and every other status as open', () => {
    expect(georeportStatus(CaseStatus.Resolved)).toBe('closed');
    expect(georeportStatus(CaseStatus.Closed)).toBe('closed');
    expect(georeportStatus(CaseStatus.Returned)).toBe('open');
    expect(caseStatusesOf(['closed']).sort()).toEqual([CaseStatus.Closed, CaseStatus.Resolved].sort());
    expect(caseStatusesOf(['open', 'closed'])).toHaveLength(Object.values(CaseStatus).length);
  });

  it('defaults the window to the 90 days before now', () => {
    const { from, to } = requestWindow(undefined, undefined, NOW);
    expect(to).toEqual(NOW);
    expect(to.getTime() - from.getTime()).toBe(90 * DAY);
  });

  it('runs a window from start_date for at most 90 days, never past now, and back 90 days from end_date', () => {
    expect(requestWindow('2026-11-01T00:00:00Z', undefined, NOW).to).toEqual(NOW);
    expect(requestWindow('2026-01-01T00:00:00Z', undefined, NOW).to).toEqual(new Date('2026-04-01T00:00:00Z'));
    expect(requestWindow(undefined, '2026-06-30T00:00:00Z', NOW).from).toEqual(new Date('2026-04-01T00:00:00Z'));
  });

  it('refuses a window longer than 90 days or one that ends before it starts', () => {
    expect(() => requestWindow('2026-01-01T00:00:00Z', '2026-06-01T00:00:00Z', NOW)).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }),
    );
    expect(() => requestWindow('2026-06-01T00:00:00Z', '2026-05-01T00:00:00Z', NOW)).toThrow(
      expect.objectContaining({ code: ErrorCode.VALIDATION_FAILED }),
    );
  });

  it('shows a case without its reporter and with its building rather than its household', () => {
    const request = toRequest(caseView({ place: 'Stairwell', latitude: 31.2, longitude: 121.4, photoUrls: ['https://p.example/1.jpg'] }));
    expect(request).toMatchObject({
      service_request_id: '665f1b2c9d3e4a0012345678',
      status: 'open',
      address: 'Stairwell',
      address_id: '665f1b2c9d3e4a00123400bb',
      lat: 31.2,
      long: 121.4,
      media_url: 'https://p.example/1.jpg',
      agency_responsible: 'grid:665f1b2c9d3e4a00123400cc',
      requested_datetime: '2026-12-01T08:15:30Z',
      expected_datetime: '2026-12-04T08:15:30Z',
    });
    const text = JSON.stringify(request);
    for (const secret of ['Zhou Min', 'account-1', 'person-1', '665f1b2c9d3e4a00123400aa']) expect(text).not.toContain(secret);
  });

  it('takes updated_datetime from the last step of the case', () => {
    const request = toRequest(
      caseView({
        history: [
          { action: 'file' as never, from: CaseStatus.Reported, to: CaseStatus.Reported, by: { sub: 'a', name: 'A' }, at: '2026-12-01T08:15:30.123Z' },
          { action: 'accept' as never, from: CaseStatus.Reported, to: CaseStatus.Accepted, by: { sub: 'b', name: 'B' }, at: '2026-12-01T09:00:00.000Z' },
        ],
        status: CaseStatus.Accepted,
      }),
    );
    expect(request.updated_datetime).toBe('2026-12-01T09:00:00Z');
  });

  it('describes every service with metadata and a definition whose attributes list their values', () => {
    expect(toService(CaseCategory.GroupRental)).toMatchObject({ service_code: 'group_rental', metadata: true, type: 'realtime' });
    const definition = serviceDefinition(CaseCategory.Noise);
    expect(definition.attributes.map((a) => a.code)).toEqual(['urgency', 'location_kind']);
    expect(definition.attributes[0].values.map((v) => v.key)).toEqual(Object.values(CaseUrgency));
  });

  it('reads comma-delimited lists without blanks or repeats, and writes W3C times to the second', () => {
    expect(commaList(' a, b,,a ')).toEqual(['a', 'b']);
    expect(commaList(undefined)).toEqual([]);
    expect(w3cDateTime('2026-12-01T08:15:30.999Z')).toBe('2026-12-01T08:15:30Z');
  });
});
