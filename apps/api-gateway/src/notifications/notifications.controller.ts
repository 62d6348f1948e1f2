import { BeforeApplicationShutdown, Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  DomainException,
  ErrorCode,
  LiveNotice,
  NOTICE_ID_PATTERN,
  NoticePage,
  NoticePathDto,
  NoticePreferencesView,
  NoticeQueryDto,
  NoticeView,
  NotificationsRpc,
  Principal,
  ReadAllView,
  SetNoticePreferencesDto,
  UnreadCountView,
} from '@cg/contracts';
import { NatsConnection, RpcClient } from '@cg/messaging';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JSONCodec, Subscription } from 'nats';
import { CurrentPrincipal } from '../http/access';
import { ApiSecured } from '../http/api-problems';

/** A comment line this often keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** Ids a stream remembers having sent, so a notice published twice (a redelivered event) is sent once. */
const SENT_MEMORY = 1000;

const codec = JSONCodec<LiveNotice>();

@ApiTags('me')
@Controller('me/notifications')
export class NotificationsController implements BeforeApplicationShutdown {
  private readonly streams = new Set<() => void>();

  constructor(
    private readonly rpc: RpcClient,
    private readonly nats: NatsConnection,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'My notices: unread first, then newest',
    description:
      'Notices to me personally and to my community, residential area, grid, building or role, in my language ' +
      '(see preferences). Paginated with `limit` and `cursor`.',
  })
  @ApiOkResponse({ type: NoticePage })
  @ApiSecured(400)
  list(@Query() query: NoticeQueryDto): Promise<NoticePage> {
    return this.rpc.send(NotificationsRpc.list, { page: query });
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many of my notices I have not read', description: 'For the badge on the app icon.' })
  @ApiOkResponse({ type: UnreadCountView })
  @ApiSecured()
  unreadCount(): Promise<UnreadCountView> {
    return this.rpc.send(NotificationsRpc.unreadCount, {});
  }

  @Get('preferences')
  @ApiOperation({
    summary: 'How my notices reach me: language, addresses, channels, quiet hours, daily digest',
    description: 'Language zh-CN unless I chose otherwise; every outbound channel (e-mail, SMS, WeChat) off until I turn it on.',
  })
  @ApiOkResponse({ type: NoticePreferencesView })
  @ApiSecured()
  preferences(): Promise<NoticePreferencesView> {
    return this.rpc.send(NotificationsRpc.getPreferences, {});
  }

  @Put('preferences')
  @ApiOperation({
    summary: 'Choose how my notices reach me',
    description:
      'Fields left out keep their value; `quietHours: null` removes the quiet hours. Each channel is turned on or off ' +
      'with `enabled`, and `mutedKinds` lists kinds of notice it does not send. Nothing leaves by e-mail, SMS or WeChat ' +
      'inside the quiet hours (sent at their end); with the digest on, e-mail comes once a day at `digest.at`, one ' +
      'message with that day\'s notices. Times are local to `timeZone` (IANA, Asia/Shanghai unless set). Accounts ' +
      'not linked to a person may set only the language (403).',
  })
  @ApiOkResponse({ type: NoticePreferencesView })
  @ApiSecured(400)
  setPreferences(@Body() body: SetNoticePreferencesDto): Promise<NoticePreferencesView> {
    return this.rpc.send(NotificationsRpc.setPreferences, { preferences: body });
  }

  @Get('stream')
  @ApiOperation({
    summary: 'My notices live, as Server-Sent Events',
    description:
      'text/event-stream: each notice is one event whose `id:` is the notice id and whose `data:` is the notice ' +
      '(NoticeView) as JSON. With `Last-Event-ID` the stream first sends, oldest first, the notices after that one ' +
      `(up to 100), then live ones. A comment line (\`: heartbeat\`) comes every ${HEARTBEAT_MS / 1000} s.`,
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last notice received' })
  @ApiOkResponse({
    description: 'The event stream; it stays open',
    content: { 'text/event-stream': { schema: { type: 'string', example: 'id: 3f1c…:65f0…\ndata: {"id":"3f1c…:65f0…","kind":"case.resolved"}\n\n' } } },
  })
  @ApiSecured(400)
  async stream(
    @CurrentPrincipal() _principal: Principal,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (lastEventId !== undefined && !NOTICE_ID_PATTERN.test(lastEventId)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'Last-Event-ID is not a notice id', [
        { field: 'Last-Event-ID', reason: 'not a notice id' },
      ]);
    }
    const opened = await this.rpc.send(NotificationsRpc.openStream, {});
    const sent = new Set<string>();
    const pending: NoticeView[] = [];
    let live = false;
    const send = (notice: NoticeView) => {
      if (sent.has(notice.id)) return;
      sent.add(notice.id);
      if (sent.size > SENT_MEMORY) sent.delete(sent.values().next().value!);
      reply.raw.write(`id: ${notice.id}\ndata: ${JSON.stringify(notice)}\n\n`);
    };
    // Subscribed before the catch-up is read, so a notice stored in between is not missed (only sent once).
    const subscriptions: Subscription[] = opened.subjects.map((subject) =>
      this.nats.nc.subscribe(subject, {
        callback: (error, message) => {
          if (error) return;
          const { notice, texts } = codec.decode(message.data);
          const view: NoticeView = { ...notice, ...texts[opened.language] };
          if (live) send(view);
          else pending.push(view);
        },
      }),
    );
    let backlog: NoticeView[] = [];
    try {
      await this.nats.nc.flush();
      if (lastEventId) backlog = await this.rpc.send(NotificationsRpc.since, { afterId: lastEventId });
    } catch (error) {
      for (const s of subscriptions) s.unsubscribe();
      throw error;
    }
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    reply.raw.write('retry: 3000\n\n');
    for (const notice of backlog) send(notice);
    live = true;
    for (const notice of pending.splice(0)) send(notice);
    const heartbeat = setInterval(() => reply.raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
    const close = () => {
      if (!this.streams.delete(close)) return;
      clearInterval(heartbeat);
      for (const s of subscriptions) s.unsubscribe();
      reply.raw.end();
    };
    this.streams.add(close);
    request.raw.on('close', close);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark all my notices read', description: 'Everything stored until now counts as read.' })
  @ApiOkResponse({ type: ReadAllView })
  @ApiSecured()
  readAll(): Promise<ReadAllView> {
    return this.rpc.send(NotificationsRpc.markAllRead, {});
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of my notices read; marking it again changes nothing' })
  @ApiOkResponse({ type: NoticeView })
  @ApiSecured(400, 404)
  read(@Param() path: NoticePathDto): Promise<NoticeView> {
    return this.rpc.send(NotificationsRpc.markRead, { noticeId: path.id });
  }

  /** Open streams end before the server closes, or it would wait for them. */
  beforeApplicationShutdown(): void {
    for (const close of [...this.streams]) close();
  }
}
