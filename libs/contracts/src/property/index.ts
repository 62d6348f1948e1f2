import { event } from '../events';
import type {
  BallotClosedData,
  BallotClosingSoonData,
  BallotOpenedData,
  PaperVoteRecordedData,
  ProxyRecordedData,
  TermSeatedData,
  TermVoidedData,
} from './events';

export * from './dto';
export * from './views';
export * from './subjects';
export * from './services';
export * from './consultations';
export * from './elections';
export * from './committee';
export * from './deliberation';
export * from './events';

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
  ballotOpened: event<BallotOpenedData>('evt.property.ballot.opened'),
  ballotClosed: event<BallotClosedData>('evt.property.ballot.closed'),
  ballotClosingSoon: event<BallotClosingSoonData>('evt.property.ballot.closing-soon'),
  paperVoteRecorded: event<PaperVoteRecordedData>('evt.property.paper-vote.recorded'),
  proxyRecorded: event<ProxyRecordedData>('evt.property.proxy.recorded'),
  termSeated: event<TermSeatedData>('evt.property.term.seated'),
  termVoided: event<TermVoidedData>('evt.property.term.voided'),
} as const;
