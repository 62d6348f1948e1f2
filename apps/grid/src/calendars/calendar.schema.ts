import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument, Schema as MongooseSchema } from 'mongoose';

export interface CalendarYearChange {
  holidays: string[];
  makeUpWorkdays: string[];
  revision: number;
  by: string;
  at: Date;
}

/**
 * One year of a working calendar, national or a district's own days: `_id` is `<scope>:<year>`, so entering a year is
 * one unique insert and changing it one update guarded by its revision. Earlier versions stay in `history`.
 */
@Schema({ collection: 'work_calendars', versionKey: false })
export class WorkCalendarYear {
  @Prop({ type: String }) _id: string;
  @Prop({ required: true }) scope: string;
  @Prop({ required: true }) year: number;
  @Prop({ type: [String], default: [] }) holidays: string[];
  @Prop({ type: [String], default: [] }) makeUpWorkdays: string[];
  @Prop({ required: true }) revision: number;
  @Prop({ required: true }) updatedAt: Date;
  @Prop({ required: true }) updatedBy: string;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) history: CalendarYearChange[];
}

export type WorkCalendarYearDocument = HydratedDocument<WorkCalendarYear>;
export const WorkCalendarYearSchema = SchemaFactory.createForClass(WorkCalendarYear);
// The years of one calendar.
WorkCalendarYearSchema.index({ scope: 1, year: 1 });

export const calendarYearId = (scope: string, year: number) => `${scope}:${year}`;
