import { resolveServers } from './servers';

/** Jest global setup: finds or starts the servers once and hands their URLs to every test worker. */
export default async function globalSetup(): Promise<void> {
  if (process.env.__TEST_SERVERS_READY) return;
  const servers = await resolveServers();
  process.env.NATS_URL = servers.natsUrl;
  process.env.MONGO_URL = servers.mongoUrl;
  process.env.__TEST_SERVERS_READY = servers.source;
  (globalThis as { __testServers?: typeof servers }).__testServers = servers;
}
