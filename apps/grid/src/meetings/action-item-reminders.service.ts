import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ActionItemStatus, GridMeetingEvents, newEvent } from '@cg/contracts';
import { Outbox, PeriodicSweep } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { randomUUID } from 'node:crypto';
import { dueSoonDates, reminderSweepIntervalMs } from './action-item-reminders';
import { Meeting } from './meeting.schema';
import { MeetingsRepository } from './meetings.repository';

const BATCH = 200;
const REMINDER_ACTOR = 'service:grid';

/**
 * Reminds the owners of open action items due within a day. Every instance sweeps; the conditional update on the
 * item lets one of them queue each reminder, so an owner hears of an item once whatever the number of replicas.
 */
@Injectable()
export class ActionItemReminders implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly periodic: PeriodicSweep;
  private readonly intervalMs = reminderSweepIntervalMs();

  constructor(
    private readonly meetings: MeetingsRepository,
    private readonly outbox: Outbox,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {
    this.periodic = new PeriodicSweep('the action item reminder sweep', this.intervalMs, () => this.sweep(), logger);
  }

  onApplicationBootstrap(): void {
    this.periodic.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.periodic.stop();
  }

  /** Queues a reminder for every open item due soon at `now`; returns how many this instance queued. */
  async sweep(now = new Date()): Promise<number> {
    const dates = dueSoonDates(now);
    let queued = 0;
    for (;;) {
      const due = await this.meetings.dueForReminder(dates, BATCH);
      let progressed = 0;
      for (const meeting of due) {
        const items = meeting.actionItems.filter(
          (item) => item.status === ActionItemStatus.Open && !item.reminderSentAt && dates.includes(item.dueDate),
        );
        let marked = false;
        for (const item of items) {
          const event = newEvent(
            GridMeetingEvents.actionItemDueSoon,
            {
              actionItemId: item.id,
              meetingId: String(meeting._id),
              title: item.title,
              dueOn: item.dueDate,
              ownerPersonId: item.owner.personId,
            },
            { communityId: String(meeting.communityId), actor: REMINDER_ACTOR, correlationId: randomUUID() },
          );
          if (await this.meetings.markReminded(meeting._id, item.id, now, event)) {
            queued += 1;
            marked = true;
          }
        }
        if (marked) {
          progressed += 1;
          void this.outbox.deliver(Meeting.name, meeting._id);
        }
      }
      if (due.length < BATCH || progressed === 0) break;
    }
    return queued;
  }
}
