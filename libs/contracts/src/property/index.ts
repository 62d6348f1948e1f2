import { event } from '../events';

/** Subjects and events of the property service are added here as its features land. */
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
