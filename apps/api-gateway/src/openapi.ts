import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SECRET_REPLY_EXTENSION } from './http/idempotency';
import { Problem } from './http/problem';

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Community co-governance API')
    .setDescription(
      'The one door for the resident app, the grid-worker app and the staff dashboard. ' +
        'Errors are application/problem+json with a stable `code`. Lists take `limit` and `cursor` and return `nextCursor`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addTag('me', 'Aggregate views for client apps')
    .addTag('open311', 'Open311 GeoReport v2 over grid cases, for existing civic-reporting clients')
    .addTag('membership', 'Accounts, login and residents')
    .addTag('grid', 'The community hierarchy, its staff, cases and meetings')
    .addTag('activities', 'Activities, volunteer shifts, competitions, micro-wishes and announcements')
    .addTag('property', "Owners' committee, assembly ballots, service requests, consultations and deliberation")
    .build();
  return withIdempotencyKeys(SwaggerModule.createDocument(app, config, { extraModels: [Problem] }));
}

/** Every POST takes an Idempotency-Key (see `IdempotencyInterceptor`): one parameter, one 422, documented once here. */
function withIdempotencyKeys(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const post = item.post;
    if (!post || path.startsWith('/api/v1/auth/') || (post as unknown as Record<string, unknown>)[SECRET_REPLY_EXTENSION]) continue;
    post.parameters = [
      ...(post.parameters ?? []),
      {
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Makes the POST safe to retry: the same key with the same request answers the first successful reply again ' +
          '(with `Idempotent-Replayed: true`) and writes nothing twice, also when the first attempt ended in 503, 504 ' +
          'or a lost connection; the same key with another request answers 422. Keys are kept 24 hours per caller. ' +
          'The typed client sends a fresh key with every POST and retries 503/504 with it.',
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
      },
    ];
    post.responses['422'] ??= {
      description: 'IDEMPOTENCY_KEY_REUSED: the Idempotency-Key was used with another request within 24 hours',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return document;
}
