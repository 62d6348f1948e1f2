import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, SetMetadata, applyDecorators } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { DomainException, ErrorCode } from '@cg/contracts';
import { NatsConnection } from '@cg/messaging';
import { Logger, PINO_LOGGER, SERVICE_CONFIG, ServiceConfig, currentScope, runInScope } from '@cg/observability';
import type { FastifyReply } from 'fastify';
import { KV } from 'nats';
import { createHash } from 'node:crypto';
import { Observable, from, mergeMap, of } from 'rxjs';
import stringify from 'safe-stable-stringify';
import { AuthenticatedRequest } from './access';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
/** How long a key is kept, as the IETF draft suggests for a client that may retry for a day. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;
const KEY = /^[\x21-\x7e]{1,255}$/;
const BUCKET = 'idempotency_keys';
const AUTH_PATH = '/api/v1/auth/';
/** A first reply larger than this is not kept: a retry then runs again, and the services create nothing twice. */
const MAX_KEPT_REPLY_BYTES = 256 * 1024;

const SECRET_REPLY = 'secret-reply';
/** The OpenAPI extension that marks such a write, so the document does not offer it an Idempotency-Key. */
export const SECRET_REPLY_EXTENSION = 'x-secret-reply';
/**
 * A write whose reply holds a secret (an issued key, revealed personal numbers): its reply is never kept for replay,
 * so the Idempotency-Key is not honoured on it and a retry runs again.
 */
export const SecretReply = (): MethodDecorator =>
  applyDecorators(SetMetadata(SECRET_REPLY, true), ApiExtension(SECRET_REPLY_EXTENSION, true));

/** What the gateway keeps for one key of one caller. */
export interface KeptWrite {
  /** The request the key was first used with: method, path and canonical body. */
  fingerprint: string;
  /** When the key was first seen, epoch seconds: the leading bytes of the ids the write creates. */
  firstSeen: number;
  /** The first successful reply's body and the headers a replay repeats, once there was one. */
  reply?: { body: unknown; headers?: Record<string, string> };
}

/** The identity of a write: the caller and their key, so two callers' keys never meet. */
export function writeDigest(caller: string, key: string): string {
  return createHash('sha256').update(caller).update('\0').update(key).digest('hex').slice(0, 40);
}

export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\0`)
    .update(stringify(body ?? null) ?? '')
    .digest('hex');
}

/**
 * Idempotency-Key on POST (draft-ietf-httpapi-idempotency-key-header): the same key with the same request answers the
 * first successful reply again without a second write; with another request, 422 IDEMPOTENCY_KEY_REUSED. Until a
 * first reply succeeded (it failed, timed out, or the gateway died), a retry runs again: it carries the write key,
 * from which the services derive the ids of what the write creates, so what the first attempt stored is found and
 * answered, not stored twice. Keys live 24 hours in a JetStream key-value bucket, shared by every gateway replica.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private bucket?: Promise<KV>;

  constructor(
    private readonly nats: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const given = request.headers[IDEMPOTENCY_HEADER];
    // Sign-in replies hold tokens: they are never kept, and signing in again is safe anyway.
    if (request.method !== 'POST' || given === undefined || request.url.startsWith(AUTH_PATH)) return next.handle();
    if (this.reflector.get<boolean>(SECRET_REPLY, context.getHandler())) return next.handle();
    if (typeof given !== 'string' || !KEY.test(given)) {
      throw new DomainException(ErrorCode.VALIDATION_FAILED, 'The Idempotency-Key header is not valid', [
        { field: 'Idempotency-Key', reason: 'must be 1-255 visible ASCII characters' },
      ]);
    }
    // The request's scope (caller, token, deadline) as it is now: the key store's answer arrives outside it.
    const scope = currentScope();
    const caller = request.principal?.sub ?? `anonymous:${request.ip}`;
    const digest = writeDigest(caller, given);
    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    return from(this.begin(digest, fingerprint)).pipe(
      mergeMap((kept) => {
        if (kept.fingerprint !== fingerprint) {
          throw new DomainException(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            'This Idempotency-Key was used with another request; use a new key for a new write',
          );
        }
        const reply = context.switchToHttp().getResponse<FastifyReply>();
        if (kept.reply) {
          reply.headers({ ...kept.reply.headers, [REPLAYED_HEADER]: 'true' });
          return of(kept.reply.body);
        }
        return runInScope({ ...scope!, writeKey: `${kept.firstSeen}.${digest}` }, () =>
          next.handle().pipe(mergeMap((body) => from(this.keep(digest, kept, body, reply)))),
        );
      }),
    );
  }

  /** The key's record: the one already kept, or a new one; of two first uses at once, one creates it. */
  private async begin(digest: string, fingerprint: string): Promise<KeptWrite> {
    const kv = await this.kv();
    try {
      const found = await kv.get(digest);
      if (found && found.operation === 'PUT') return found.json<KeptWrite>();
      const fresh: KeptWrite = { fingerprint, firstSeen: Math.floor(Date.now() / 1000) };
      const created = await kv.create(digest, JSON.stringify(fresh)).then(
        () => true,
        () => false,
      );
      if (created) return fresh;
      const raced = await kv.get(digest);
      if (raced && raced.operation === 'PUT') return raced.json<KeptWrite>();
      throw new Error('the key was neither kept nor could be created');
    } catch (error) {
      throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The idempotency store cannot be reached: ${String(error)}`);
    }
  }

  /** Keeps the first successful reply; a failure to keep it costs only a second run of a retry. */
  private async keep(digest: string, kept: KeptWrite, body: unknown, reply: FastifyReply): Promise<unknown> {
    const location = reply.getHeader('location');
    const headers = typeof location === 'string' ? { location } : undefined;
    const value = JSON.stringify({ ...kept, reply: { body: body ?? null, ...(headers && { headers }) } } satisfies KeptWrite);
    if (Buffer.byteLength(value) <= MAX_KEPT_REPLY_BYTES) {
      try {
        await (await this.kv()).put(digest, value);
      } catch (error) {
        this.logger.warn({ err: error }, 'could not keep the reply of an idempotent write');
      }
    }
    return body;
  }

  private kv(): Promise<KV> {
    this.bucket ??= this.nats.js.views
      .kv(BUCKET, { ttl: IDEMPOTENCY_TTL_MS, history: 1, replicas: this.config.streamReplicas })
      .catch((error: unknown) => {
      this.bucket = undefined;
      throw new DomainException(ErrorCode.SERVICE_UNAVAILABLE, `The idempotency store cannot be reached: ${String(error)}`);
    });
    return this.bucket;
  }
}
