import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
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
  return SwaggerModule.createDocument(app, config, { extraModels: [Problem] });
}
