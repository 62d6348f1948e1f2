/**
 * Writes the gateway's OpenAPI document to libs/api-client/openapi.json without starting any server;
 * `npm run api:client` then generates the typed client's schema from it.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadGatewayConfig } from '../apps/api-gateway/src/config';
import { createGateway } from '../apps/api-gateway/src/gateway-app';
import { buildOpenApi } from '../apps/api-gateway/src/openapi';

async function main(): Promise<void> {
  const app = await createGateway({ ...loadGatewayConfig({ ...process.env, LOG_LEVEL: 'silent' }), httpPort: 0 });
  await app.init();
  const target = join(__dirname, '..', '..', 'libs', 'api-client', 'openapi.json');
  writeFileSync(target, `${JSON.stringify(buildOpenApi(app), null, 2)}\n`);
  await app.close();
  console.log(`[openapi] wrote ${target}`);
}

void main();
