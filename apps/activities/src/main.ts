import 'reflect-metadata';
import { ServiceName } from '@cg/contracts';
import { runServiceApp } from '@cg/messaging';
import { configOrExit, loadServiceConfig, startTracing } from '@cg/observability';
import { ActivitiesAppModule } from './app.module';
import { loadActivitiesOptions } from './options';

async function main(): Promise<void> {
  configOrExit(() => startTracing(ServiceName.Activities));
  const config = configOrExit(() => loadServiceConfig(ServiceName.Activities, 3103));
  const options = configOrExit(() => ({ ...config, ...loadActivitiesOptions() }));
  await runServiceApp(ActivitiesAppModule.register(config, options), config);
}

void main();
