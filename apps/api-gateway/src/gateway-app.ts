import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { RequestMethod, ValidationPipe } from '@nestjs/common';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import { DomainException, ErrorCode, IMPORT_MAX_CSV_BYTES, toFieldErrors } from '@cg/contracts';
import { JsonLogger, Metrics, PINO_LOGGER, traceHttpRequests } from '@cg/observability';
import { randomUUID } from 'node:crypto';
import { GatewayConfig } from './config';
import { GatewayModule } from './gateway.module';
import { shedLoad } from './http/load-shedding';
import { applyRequestLimits, clientErrorHandler } from './http/request-limits';
import { buildOpenApi } from './openapi';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** The gateway, configured but not listening; `startGateway` listens, the OpenAPI export does not. */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // X-Forwarded-For is believed only from our own proxies; anyone else could name a fresh address each request.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    clientErrorHandler,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  // Body parsers are ours (see applyRequestLimits): JSON is checked for depth before it is parsed.
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.register(config), adapter, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(new JsonLogger(app.get(PINO_LOGGER)));
  app.setGlobalPrefix('api/v1', {
    exclude: ['health/live', 'health/ready', 'metrics', { path: 'open311/*path', method: RequestMethod.ALL }],
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new DomainException(ErrorCode.VALIDATION_FAILED, 'The request is not valid', toFieldErrors(errors)),
    }),
  );
  app.enableCors({ origin: config.corsOrigins, exposedHeaders: ['x-request-id', 'retry-after'] });
  await app.register(helmet as never, {
    // Swagger UI needs inline scripts and styles on /docs.
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] },
    },
  });

  const fastify = app.getHttpAdapter().getInstance();
  traceHttpRequests(fastify, config.service);
  applyRequestLimits(fastify);
  // Spreadsheet exports for the bulk imports arrive as text/csv, larger than other bodies.
  fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_MAX_CSV_BYTES }, (_req, body, done) =>
    done(null, body),
  );
  // Photos arrive as multipart/form-data, read as a stream by the photo routes only, so the JSON body limit does not apply.
  await app.register(multipart as never, { limits: { fileSize: config.photos.maxBytes, files: 1, fields: 4, fieldSize: 1024 } });
  const metrics = app.get(Metrics);
  shedLoad(fastify, config.rpcMaxInFlight, metrics);
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const document = buildOpenApi(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** The gateway, listening. Shared by `main.ts`, the end-to-end tests and the benchmark. */
export async function startGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const app = await createGateway(config);
  await app.listen(config.httpPort, config.httpHost);
  return app;
}
