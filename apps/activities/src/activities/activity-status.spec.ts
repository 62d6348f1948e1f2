import { ActivityStatus } from '@cg/contracts';
import { canTake } from './activity-status';

describe('the activity lifecycle', () => {
  it('publishes drafts only', () => {
    expect(canTake('publish', ActivityStatus.Draft)).toBe(true);
    expect(canTake('publish', ActivityStatus.Published)).toBe(false);
    expect(canTake('publish', ActivityStatus.Cancelled)).toBe(false);
  });

  it('cancels drafts and published activities, never finished ones', () => {
    expect(canTake('cancel', ActivityStatus.Draft)).toBe(true);
    expect(canTake('cancel', ActivityStatus.Published)).toBe(true);
    expect(canTake('cancel', ActivityStatus.Finished)).toBe(false);
  });

  it('finishes published activities only', () => {
    expect(canTake('finish', ActivityStatus.Published)).toBe(true);
    expect(canTake('finish', ActivityStatus.Draft)).toBe(false);
    expect(canTake('finish', ActivityStatus.Cancelled)).toBe(false);
  });
});
