import { INestApplication } from '@nestjs/common';
import { getModelToken } from '@nestjs/mongoose';
import { ActionItemDueSoonData, ActionItemStatus, EventEnvelope, GridMeetingEvents, MeetingKind, MeetingStatus, ServiceName } from '@cg/contracts';
import { DurableConsumers, startServiceApp } from '@cg/messaging';
import { ServiceConfig } from '@cg/observability';
import { eventually, runId, testServiceConfig } from '@cg/testing';
import { Model, Types } from 'mongoose';
import { GridAppModule } from '../src/app.module';
import { ActionItemReminders } from '../src/meetings/action-item-reminders.service';
import { localDate } from '../src/meetings/meeting-lifecycle';
import { Meeting } from '../src/meetings/meeting.schema';

const DAY = 24 * 3_600_000;

describe('action item reminders with two grid instances sweeping one database', () => {
  const id = runId();
  let config: ServiceConfig;
  let first: INestApplication;
  let second: INestApplication;
  let meetings: Model<Meeting>;
  const events: EventEnvelope<ActionItemDueSoonData>[] = [];
  const communityId = new Types.ObjectId();
  const now = new Date();
  const today = localDate(now);
  const later = localDate(new Date(now.getTime() + 3 * DAY));

  const item = (key: string, dueDate: string, extra: Record<string, unknown> = {}) => ({
    id: `${key}-${id}`,
    decision: 0,
    title: `Item ${key}`,
    owner: { personId: String(new Types.ObjectId()), name: `Owner ${key}` },
    dueDate,
    status: ActionItemStatus.Open,
    caseIds: [],
    version: 0,
    updatedAt: now,
    updatedBy: { sub: 'staff', name: 'Staff' },
    ...extra,
  });

  const meeting = (slot: string, actionItems: ReturnType<typeof item>[]) => ({
    _id: new Types.ObjectId(),
    communityId,
    kind: MeetingKind.Joint,
    slot: `joint:${slot}-${id}`,
    title: 'Joint meeting',
    scheduledAt: new Date(now.getTime() - 7 * DAY),
    status: MeetingStatus.Closed,
    version: 3,
    scheduledBy: { sub: 'staff', name: 'Staff' },
    submissions: [],
    attendees: [],
    decisions: [],
    actionItems,
    outbox: [],
  });

  beforeAll(async () => {
    config = testServiceConfig(ServiceName.Grid, id);
    first = await startServiceApp(GridAppModule.register(config), config);
    second = await startServiceApp(GridAppModule.register(config), config);
    meetings = first.get<Model<Meeting>>(getModelToken(Meeting.name));
    await first.get(DurableConsumers).start({
      durable: `reminders-test-${id}`,
      event: GridMeetingEvents.actionItemDueSoon,
      handle: async (event) => void events.push(event),
    });
  });

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('queues exactly one reminder per open item due within a day, however many sweeps race', async () => {
    const one = meeting('one', [
      item('due', today),
      item('later', later),
      item('done', today, { status: ActionItemStatus.Done, doneAt: now }),
      item('reminded', today, { reminderSentAt: new Date(now.getTime() - 3_600_000) }),
    ]);
    const two = meeting('two', [item('a', today), item('b', today), item('c', today)]);
    await meetings.collection.insertMany([one, two]);

    const sweeps = [first, second].flatMap((app) => Array.from({ length: 4 }, () => app.get(ActionItemReminders).sweep(now)));
    const queued = (await Promise.all(sweeps)).reduce((a, b) => a + b, 0);
    expect(queued).toBe(4);

    const expected = [`due-${id}`, `a-${id}`, `b-${id}`, `c-${id}`].sort();
    await eventually(async () => events.length >= 4);
    // Anything published twice would arrive by now.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(events.map((e) => e.data.actionItemId).sort()).toEqual(expected);
    const due = events.find((e) => e.data.actionItemId === `due-${id}`)!;
    expect(due).toMatchObject({ type: 'evt.grid.action-item.due-soon', communityId: String(communityId) });
    expect(due.data).toEqual({
      actionItemId: `due-${id}`,
      meetingId: String(one._id),
      title: 'Item due',
      dueOn: today,
      ownerPersonId: one.actionItems[0].owner.personId,
    });

    const stored = await meetings.findById(one._id).lean<Meeting>().exec();
    expect(stored!.actionItems.map((i) => Boolean(i.reminderSentAt))).toEqual([true, false, false, true]);
    expect(stored!.actionItems.map((i) => i.version)).toEqual([0, 0, 0, 0]);
    expect(stored!.version).toBe(3);
    await eventually(async () => ((await meetings.findById(two._id).lean<Meeting>().exec())!.outbox ?? []).length === 0);

    expect(await first.get(ActionItemReminders).sweep(now)).toBe(0);
    expect(await second.get(ActionItemReminders).sweep(new Date(now.getTime() + 60_000))).toBe(0);
  });
});
