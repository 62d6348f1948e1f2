import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse } from '@nestjs/swagger';
import { Problem } from './problem';

const DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED: the body or query is not valid; `errors` lists each field',
  401: 'UNAUTHENTICATED, TOKEN_EXPIRED or INVALID_CREDENTIALS',
  403: 'FORBIDDEN: the caller lacks the role or the community scope',
  404: 'The addressed resource does not exist in this community',
  409: 'The change conflicts with the current state (a code, username or registration is taken)',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'The request is well-formed but the rule it breaks is named by `code` (e.g. NOTICE_TOO_SHORT, IDEMPOTENCY_KEY_REUSED)',
  429: 'RATE_LIMITED: see the Retry-After header',
  503: 'SERVICE_UNAVAILABLE: the service behind this route is not running, cannot be reached or is at capacity; retry after the time in Retry-After',
  504: 'UPSTREAM_TIMEOUT: the service behind this route did not answer in time',
};

/** Documents the problem+json errors a route can return; the common ones are always included. */
export function ApiProblems(...statuses: number[]) {
  const all = [...new Set([...statuses, 429, 503, 504])].sort();
  return applyDecorators(
    ...all.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status],
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
      }),
    ),
  );
}

/** A route that needs a token: documents the scheme and the 401/403 answers. */
export function ApiSecured(...statuses: number[]) {
  return applyDecorators(ApiBearerAuth(), ApiProblems(401, 403, ...statuses));
}

export { Problem };
