import { NoticeChannelName } from '@cg/contracts';
import { NoticeChannel, OutboundMessage } from './notice-channel';

const TIMEOUT_MS = 10_000;

async function post(url: string, token: string | undefined, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
}

/**
 * SMS through the operator's HTTP gateway (`NOTIFICATIONS_SMS_URL`, bearer `NOTIFICATIONS_SMS_TOKEN`):
 * POST `{ to, text, id }`; any 2xx counts as accepted.
 */
export class SmsChannel implements NoticeChannel {
  readonly name = NoticeChannelName.Sms;

  constructor(
    private readonly url: string | undefined,
    private readonly token: string | undefined,
  ) {}

  get configured(): boolean {
    return this.url !== undefined;
  }

  send(message: OutboundMessage): Promise<void> {
    if (!this.url) return Promise.reject(new Error('SMS is not configured'));
    return post(this.url, this.token, { to: message.address, text: `${message.subject}: ${message.text}`, id: message.deliveryId });
  }
}

/**
 * WeChat template messages through the official account's sender (`NOTIFICATIONS_WECHAT_URL`, bearer
 * `NOTIFICATIONS_WECHAT_TOKEN`, template `NOTIFICATIONS_WECHAT_TEMPLATE_ID`): POST
 * `{ touser, template_id, data: { title, body }, id }`.
 */
export class WeChatChannel implements NoticeChannel {
  readonly name = NoticeChannelName.WeChat;

  constructor(
    private readonly url: string | undefined,
    private readonly token: string | undefined,
    private readonly templateId: string | undefined,
  ) {}

  get configured(): boolean {
    return this.url !== undefined && this.templateId !== undefined;
  }

  send(message: OutboundMessage): Promise<void> {
    if (!this.url || !this.templateId) return Promise.reject(new Error('WeChat is not configured'));
    return post(this.url, this.token, {
      touser: message.address,
      template_id: this.templateId,
      data: { title: { value: message.subject }, body: { value: message.text } },
      id: message.deliveryId,
    });
  }
}
