import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus, Inject, Type, applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { DomainError, ErrorCode } from '@cg/contracts';
import { Logger, PINO_LOGGER } from '@cg/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toDomainError } from '../http/problem.filter';
import { statusOf } from '../http/problem';
import { GeoReportFormat } from './georeport';
import { toGeoReportXml } from './georeport-xml';
import { GeoReportErrorView } from './open311.dto';

const JSON_TYPE = 'application/json; charset=utf-8';
const XML_TYPE = 'text/xml; charset=utf-8';

/** The format a GeoReport path asks for: `.xml` at its end, else JSON. */
export function formatOf(url: string): GeoReportFormat {
  return url.split('?')[0].endsWith('.xml') ? 'xml' : 'json';
}

/** The answer in the asked format: JSON as it is, XML under `root` with the spec's element names. */
export function render<T>(reply: FastifyReply, format: GeoReportFormat, root: string, body: T): T | string {
  if (format === 'json') return body;
  void reply.header('content-type', XML_TYPE);
  return toGeoReportXml(root, body);
}

/** The spec's errors: one `{code, description}` per problem, `code` being the HTTP status. */
export function georeportErrors(error: DomainError): GeoReportErrorView[] {
  const status = statusOf(error.code);
  const fields = Array.isArray(error.details) ? error.details : [];
  if (fields.length === 0) return [{ code: status, description: `${error.code}: ${error.message}` }];
  return fields.map((field) => ({ code: status, description: `${error.code}: ${field.field} ${field.reason}` }));
}

/** GeoReport routes answer errors in the spec's shape and in the format asked, not as problem+json. */
@Catch()
export class GeoReportErrorFilter implements ExceptionFilter {
  constructor(@Inject(PINO_LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = toDomainError(exception);
    if (error.code === ErrorCode.INTERNAL) this.logger.error({ err: exception }, 'unhandled error');
    const status = statusOf(error.code);
    if (status === HttpStatus.SERVICE_UNAVAILABLE) void reply.header('retry-after', '1');
    const format = formatOf(request.url);
    const body = georeportErrors(error);
    void reply
      .code(status)
      .header('content-type', format === 'xml' ? XML_TYPE : JSON_TYPE)
      .send(format === 'xml' ? toGeoReportXml('errors', body) : body);
  }
}

const XML_SCHEMA = { type: 'string', description: 'The same document in XML, with the spec’s element names' };

/** A GeoReport answer, documented in both formats. */
export function ApiGeoReportOk(model: Type<unknown>, options: { list: boolean; status?: number; description: string }) {
  const schema = options.list ? { type: 'array', items: { $ref: getSchemaPath(model) } } : { $ref: getSchemaPath(model) };
  return applyDecorators(
    ApiExtraModels(model),
    ApiResponse({
      status: options.status ?? 200,
      description: options.description,
      content: { 'application/json': { schema }, 'text/xml': { schema: XML_SCHEMA } },
    }),
  );
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'VALIDATION_FAILED: a parameter is missing or not valid; one error per parameter',
  403: 'API_KEY_INVALID: api_key is missing, unknown, revoked or of another jurisdiction',
  404: 'COMMUNITY_NOT_FOUND for an unknown jurisdiction_id, NOT_FOUND for an unknown service or request, UNIT_NOT_FOUND or NODE_NOT_FOUND for an unknown address_id',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
  504: 'UPSTREAM_TIMEOUT',
};

/** The spec's errors a GeoReport route can answer, in both formats. */
export function ApiGeoReportErrors(...statuses: number[]) {
  const schema = { type: 'array', items: { $ref: getSchemaPath(GeoReportErrorView) } };
  return applyDecorators(
    ApiExtraModels(GeoReportErrorView),
    ...[...new Set([...statuses, 429, 503, 504])].sort().map((status) =>
      ApiResponse({
        status,
        description: ERROR_DESCRIPTIONS[status],
        content: { 'application/json': { schema }, 'text/xml': { schema: XML_SCHEMA } },
      }),
    ),
  );
}
