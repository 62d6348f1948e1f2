import 'reflect-metadata';
import { closeGracefullyOnSignal, drainAndClose } from '@cg/messaging';
import { ServiceName } from '@cg/contracts';
import { configOrExit, startTracing } from '@cg/observability';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway-app';

async function main(): Promise<void> {
  configOrExit(() => startTracing(ServiceName.Gateway));
  const config = configOrExit(loadGatewayConfig);
  const app = await startGateway(config);
  closeGracefullyOnSignal(app, () => drainAndClose(app, config));
}

void main();
