import { NoticeChannelName } from '@cg/contracts';

/** One message to one address: a single notice, or a day's digest. */
export interface OutboundMessage {
  /** Stable per delivery: also the e-mail's Message-ID, so a receiver can drop a copy a retry sent again. */
  deliveryId: string;
  address: string;
  subject: string;
  text: string;
}

/** A way notices leave the system. Each is configured by environment and off without its settings. */
export interface NoticeChannel {
  readonly name: NoticeChannelName;
  readonly configured: boolean;
  /** Resolves once the provider accepted the message; throws to have it retried. */
  send(message: OutboundMessage): Promise<void>;
  /** Lets go of connections when the service stops. */
  close?(): void;
}

export const NOTICE_CHANNELS = Symbol('NOTICE_CHANNELS');
