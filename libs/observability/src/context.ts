import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

import type { Principal } from '@cg/contracts';

export interface CallScope {
  correlationId: string;
  /** The caller's bearer token, forwarded on calls made while serving this request. */
  token?: string;
  /** The verified caller, or why it could not be verified. */
  principal?: Principal;
  authError?: Error;
  /** When the caller of this request stops waiting (epoch ms); calls made while serving it end no later. */
  deadline?: number;
  /** The client's retry-safe identity of this write (see `Headers.writeKey`); absent for reads and plain calls. */
  writeKey?: string;
}

const storage = new AsyncLocalStorage<CallScope>();

/** Runs `fn` with a correlation id that logs, outgoing calls and published events pick up. */
export function runInScope<T>(scope: CallScope, fn: () => T): T {
  return storage.run(scope, fn);
}

export function currentScope(): CallScope | undefined {
  return storage.getStore();
}

export function currentCorrelationId(): string {
  return storage.getStore()?.correlationId ?? randomUUID();
}
