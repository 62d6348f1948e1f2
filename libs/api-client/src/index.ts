import createClient, { type Client } from 'openapi-fetch';
import { randomUUID } from 'node:crypto';
import type { paths } from './schema';

export type { paths, components } from './schema';
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** Further attempts of a POST that got 503, 504 or no answer, with the same Idempotency-Key. Default 3. */
  writeRetries?: number;
  /** The longest wait between attempts, whatever Retry-After says. Default 5 s. */
  maxRetryDelayMs?: number;
}

/**
 * A client typed by the gateway's OpenAPI document: paths, parameters, bodies and replies are checked. Every POST
 * carries an Idempotency-Key (a fresh one unless the caller set it) and is retried with that same key when the
 * gateway answers 503 or 504 or the connection fails, waiting as Retry-After says: the write happens once.
 */
export function createApiClient(baseUrl: string, token?: string, options: ApiClientOptions = {}): ApiClient {
  const client = createClient<paths>({
    baseUrl,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    fetch: retryingWrites(options),
  });
  client.use({
    onRequest: ({ request }) => {
      if (request.method === 'POST' && !request.headers.has('idempotency-key')) {
        request.headers.set('idempotency-key', randomUUID());
      }
      return request;
    },
  });
  return client;
}

function retryingWrites({ writeRetries = 3, maxRetryDelayMs = 5000 }: ApiClientOptions) {
  return async (request: Request): Promise<Response> => {
    if (request.method !== 'POST' || !request.headers.has('idempotency-key')) return fetch(request);
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= writeRetries;
      let response: Response;
      try {
        response = await fetch(last ? request : request.clone());
      } catch (error) {
        if (last) throw error;
        await sleep(Math.min(maxRetryDelayMs, 250 * 2 ** attempt));
        continue;
      }
      if (last || (response.status !== 503 && response.status !== 504)) return response;
      const retryAfter = Number(response.headers.get('retry-after'));
      await response.body?.cancel();
      await sleep(Math.min(maxRetryDelayMs, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 250 * 2 ** attempt));
    }
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
