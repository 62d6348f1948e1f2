import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  ActivitiesEvents,
  CheckedInData,
  CompetitionMetric,
  EventEnvelope,
  ScoreSource,
  ShiftCompletedData,
} from '@cg/contracts';
import { DurableConsumers } from '@cg/messaging';
import { Logger, PINO_LOGGER } from '@cg/observability';
import { Types } from 'mongoose';
import { ResidencyService } from '../residents/residency.service';
import { parseHours } from '../volunteering/hours';
import { CompetitionsRepository } from './competitions.repository';

export const CHECK_IN_SCORES_CONSUMER = 'activities-competition-check-ins';
export const SHIFT_SCORES_CONSUMER = 'activities-competition-shifts';

interface Contribution {
  personId: string;
  at: Date;
  metric: CompetitionMetric;
  source: ScoreSource;
  points: number;
  activityId?: string;
}

/**
 * Feeds the leaderboards from events: people of a building checked in at activities, and hours its residents
 * served as volunteers. Each event counts once per competition, however often it is delivered.
 */
@Injectable()
export class ScoreEventsService implements OnApplicationBootstrap {
  constructor(
    private readonly competitions: CompetitionsRepository,
    private readonly residencies: ResidencyService,
    private readonly consumers: DurableConsumers,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.consumers.start({
      durable: CHECK_IN_SCORES_CONSUMER,
      event: ActivitiesEvents.checkedIn,
      handle: (e) => this.onCheckedIn(e),
    });
    await this.consumers.start({
      durable: SHIFT_SCORES_CONSUMER,
      event: ActivitiesEvents.shiftCompleted,
      handle: (e) => this.onShiftCompleted(e),
    });
  }

  onCheckedIn(event: EventEnvelope<CheckedInData>): Promise<void> {
    return this.count(event, {
      personId: event.data.personId,
      at: new Date(event.data.checkedInAt),
      metric: CompetitionMetric.Participation,
      source: ScoreSource.Participation,
      points: event.data.headcount * 100,
      activityId: event.data.activityId,
    });
  }

  onShiftCompleted(event: EventEnvelope<ShiftCompletedData>): Promise<void> {
    return this.count(event, {
      personId: event.data.personId,
      at: new Date(event.data.completedAt),
      metric: CompetitionMetric.VolunteerHours,
      source: ScoreSource.VolunteerHours,
      points: parseHours(event.data.hours),
    });
  }

  private async count(event: EventEnvelope, c: Contribution): Promise<void> {
    const residency = await this.residencies.find(event.communityId, c.personId);
    if (!residency) {
      this.logger.debug(
        { eventId: event.id, personId: c.personId },
        'no known residence: the event scores for no building',
      );
      return;
    }
    const buildingId = String(residency.buildingId);
    const running = await this.competitions.running(new Types.ObjectId(event.communityId), c.metric, c.at);
    for (const competition of running) {
      if (!competition.teams.some((t) => t.buildingId === buildingId)) continue;
      if (
        c.activityId &&
        competition.activityIds.length > 0 &&
        !competition.activityIds.includes(c.activityId)
      )
        continue;
      const sourceKey = `event:${event.id}`;
      await this.competitions.insertScoreOnce({
        _id: `${competition._id}:${sourceKey}`,
        communityId: competition.communityId,
        competitionId: competition._id,
        buildingId,
        source: c.source,
        sourceKey,
        points: c.points,
        sourceEventId: event.id,
        personId: c.personId,
        recordedBy: event.actor,
        recordedAt: new Date(),
        outbox: [],
      });
    }
  }
}
