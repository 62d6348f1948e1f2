import 'reflect-metadata';
import { configOrExit } from '@cg/observability';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway-app';

async function main(): Promise<void> {
  const config = configOrExit(loadGatewayConfig);
  await startGateway(config);
}

void main();
