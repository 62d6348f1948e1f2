import { NoticeChannelName } from '@cg/contracts';
import { Transporter, createTransport } from 'nodemailer';
import { NoticeChannel, OutboundMessage } from './notice-channel';

/** E-mail over SMTP (`NOTIFICATIONS_SMTP_URL`), sent with nodemailer. */
export class EmailChannel implements NoticeChannel {
  readonly name = NoticeChannelName.Email;
  private readonly transport?: Transporter;

  constructor(
    smtpUrl: string | undefined,
    private readonly from: string,
  ) {
    this.transport = smtpUrl ? createTransport(smtpUrl) : undefined;
  }

  get configured(): boolean {
    return this.transport !== undefined;
  }

  async send(message: OutboundMessage): Promise<void> {
    if (!this.transport) throw new Error('e-mail is not configured');
    await this.transport.sendMail({
      from: this.from,
      to: message.address,
      subject: message.subject,
      text: message.text,
      messageId: `<${message.deliveryId.replace(/[^A-Za-z0-9._-]/g, '.')}@notifications.local>`,
    });
  }

  close(): void {
    this.transport?.close();
  }
}
