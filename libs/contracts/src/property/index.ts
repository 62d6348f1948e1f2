import { event } from '../events';

export * from './dto';
export * from './views';
export * from './subjects';
export * from './services';
export * from './consultations';
export * from './elections';
export * from './committee';
export * from './deliberation';

export const PROPERTY_SERVICE = 'property';

export interface ConsultationCompletedData {
  consultationId: string;
  partnerPersonId: string;
  domain: string;
  completedAt: string;
  /** Whether the owners' committee adopted the advice. */
  adopted?: boolean;
  askedAt?: string;
  answeredAt?: string;
}

export const PropertyEvents = {
  consultationCompleted: event<ConsultationCompletedData>('evt.property.consultation.completed'),
} as const;
