import 'reflect-metadata';
import { ServiceName } from '@cg/contracts';
import { runServiceApp } from '@cg/messaging';
import { configOrExit, loadServiceConfig, startTracing } from '@cg/observability';
import { NotificationsAppModule } from './app.module';
import { loadNotificationsOptions } from './options';

async function main(): Promise<void> {
  configOrExit(() => startTracing(ServiceName.Notifications));
  const config = configOrExit(() => loadServiceConfig(ServiceName.Notifications, 3105));
  const options = configOrExit(() => ({ ...config, ...loadNotificationsOptions() }));
  await runServiceApp(NotificationsAppModule.register(config, options), config);
}

void main();
