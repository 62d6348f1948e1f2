import 'reflect-metadata';
import { ServiceName } from '@cg/contracts';
import { startServiceApp } from '@cg/messaging';
import { configOrExit, loadServiceConfig } from '@cg/observability';
import { ActivitiesAppModule } from './app.module';

async function main(): Promise<void> {
  const config = configOrExit(() => loadServiceConfig(ServiceName.Activities, 3103));
  await startServiceApp(ActivitiesAppModule.register(config), config);
}

void main();
