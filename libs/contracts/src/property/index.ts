import { event } from '../events';

export * from './dto';
export * from './views';
export * from './subjects';

export const PROPERTY_SERVICE = 'property';

export interface ConsultationCompletedData {
  consultationId: string;
  partnerPersonId: string;
  domain: string;
  completedAt: string;
}

export const PropertyEvents = {
  consultationCompleted: event<ConsultationCompletedData>('evt.property.consultation.completed'),
} as const;
