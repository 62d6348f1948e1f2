import 'reflect-metadata';
import { ServiceName } from '@cg/contracts';
import { runServiceApp } from '@cg/messaging';
import { ConfigError, configOrExit, loadServiceConfig, startTracing } from '@cg/observability';
import { MembershipAppModule } from './app.module';
import { BootstrapAdmin } from './accounts/accounts.service';

function bootstrapAdmin(env: NodeJS.ProcessEnv): BootstrapAdmin | undefined {
  const { BOOTSTRAP_ADMIN_USERNAME: username, BOOTSTRAP_ADMIN_PASSWORD: password } = env;
  if (!username && !password) return undefined;
  if (!username || !password || password.length < 10) {
    throw new ConfigError('BOOTSTRAP_ADMIN_USERNAME and BOOTSTRAP_ADMIN_PASSWORD (10+ characters) go together');
  }
  return { username, password };
}

async function main(): Promise<void> {
  configOrExit(() => startTracing(ServiceName.Membership));
  let admin: BootstrapAdmin | undefined;
  const config = configOrExit(() => {
    admin = bootstrapAdmin(process.env);
    return loadServiceConfig(ServiceName.Membership, 3101);
  });
  await runServiceApp(MembershipAppModule.register(config, admin), config);
}

void main();
