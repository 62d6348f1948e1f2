import 'reflect-metadata';
import { closeGracefullyOnSignal, drainAndClose } from '@cg/messaging';
import { configOrExit } from '@cg/observability';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway-app';

async function main(): Promise<void> {
  const config = configOrExit(loadGatewayConfig);
  const app = await startGateway(config);
  closeGracefullyOnSignal(app, () => drainAndClose(app, config));
}

void main();
