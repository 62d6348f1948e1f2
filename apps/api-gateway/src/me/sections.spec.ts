import { DomainException, ErrorCode } from '@cg/contracts';
import { Metrics } from '@cg/observability';
import { notApplicable, section, served } from './sections';

describe('sections of an aggregate view', () => {
  it('holds the data of a load that answered', async () => {
    expect(await section(async () => 42)).toEqual({ status: 'ok', data: 42 });
  });

  it('reports a service that did not answer in time as timed out', async () => {
    const slow = await section(async () => {
      throw new DomainException(ErrorCode.UPSTREAM_TIMEOUT, 'No answer from grid in time');
    });
    expect(slow).toEqual({ status: 'timed_out', error: { code: ErrorCode.UPSTREAM_TIMEOUT, message: 'No answer from grid in time' } });
  });

  it('reports any other failure as unavailable', async () => {
    const down = await section(async () => {
      throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, 'The grid service is not running');
    });
    expect(down.status).toBe('unavailable');
    expect(down.error?.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
  });

  it('counts every section served by outcome and marks the view degraded only for missing ones', async () => {
    const metrics = new Metrics('gateway-test');
    const view = served(metrics, 'me', {
      profile: { status: 'ok', data: 1 },
      residence: { status: 'timed_out' },
      cases: notApplicable('Not a resident'),
    });
    expect(view.degraded).toBe(true);
    expect(view.profile).toEqual({ status: 'ok', data: 1 });
    const counted = (await metrics.viewSections.get()).values.map((v) => [v.labels.section, v.labels.outcome, v.value]);
    expect(counted).toEqual(
      expect.arrayContaining([
        ['profile', 'ok', 1],
        ['residence', 'timed_out', 1],
        ['cases', 'not_applicable', 1],
      ]),
    );
  });

  it('does not call a view degraded when its sections are ok or do not apply', () => {
    const view = served(new Metrics('gateway-test'), 'grid_workbench', {
      overdue: { status: 'ok', data: [] },
      assignedToMe: notApplicable('Not linked to a person'),
    });
    expect(view.degraded).toBe(false);
  });
});
