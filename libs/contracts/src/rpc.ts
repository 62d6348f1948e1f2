/** A request-reply contract: the subject fixes the request and reply types. */
export interface RpcContract<Req, Res> {
  readonly subject: string;
  /** Phantom fields: they only carry types. */
  readonly request?: Req;
  readonly reply?: Res;
}

export function rpc<Req, Res>(subject: string): RpcContract<Req, Res> {
  return { subject };
}

export type RpcRequest<C> = C extends RpcContract<infer Req, unknown> ? Req : never;
export type RpcReply<C> = C extends RpcContract<unknown, infer Res> ? Res : never;

/** Header names used on every NATS request and event. */
export const Headers = {
  correlationId: 'x-correlation-id',
  authorization: 'authorization',
  /** When the caller stops waiting, in milliseconds since the epoch: work found past it is dropped. */
  deadline: 'x-deadline',
  /**
   * The write this request is, as the gateway fixed it from the client's Idempotency-Key: `<first seen, epoch
   * seconds>.<hex digest of caller and key>`. Services derive the ids of what the write creates from it, so a retry
   * creates nothing new.
   */
  writeKey: 'x-write-key',
} as const;
