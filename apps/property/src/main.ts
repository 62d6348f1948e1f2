import 'reflect-metadata';
import { ServiceName } from '@cg/contracts';
import { runServiceApp } from '@cg/messaging';
import { configOrExit, loadServiceConfig, startTracing } from '@cg/observability';
import { PropertyAppModule } from './app.module';

async function main(): Promise<void> {
  configOrExit(() => startTracing(ServiceName.Property));
  const config = configOrExit(() => loadServiceConfig(ServiceName.Property, 3104));
  await runServiceApp(PropertyAppModule.register(config), config);
}

void main();
