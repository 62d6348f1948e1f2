import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './schema';

export type { paths, components } from './schema';
export type ApiClient = Client<paths>;

/** A client typed by the gateway's OpenAPI document: paths, parameters, bodies and replies are checked. */
export function createApiClient(baseUrl: string, token?: string): ApiClient {
  return createClient<paths>({ baseUrl, headers: token ? { authorization: `Bearer ${token}` } : {} });
}
