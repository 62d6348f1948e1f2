import 'reflect-metadata';
import { ServiceName } from '@cg/contracts';
import { runServiceApp } from '@cg/messaging';
import { configOrExit, loadServiceConfig, startTracing } from '@cg/observability';
import { GridAppModule } from './app.module';

const GRID_DEFAULT_PORT = 3102;

async function main(): Promise<void> {
  configOrExit(() => startTracing(ServiceName.Grid));
  const config = configOrExit(() => loadServiceConfig(ServiceName.Grid, GRID_DEFAULT_PORT));
  await runServiceApp(GridAppModule.register(config), config);
}

void main();
