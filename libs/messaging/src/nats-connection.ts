import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HealthRegistry, Logger, PINO_LOGGER, SERVICE_CONFIG, ServiceConfig } from '@cg/observability';
import { JetStreamClient, JetStreamManager, NatsConnection as Connection, connect } from 'nats';
import { ensureStreams } from './streams';

/** The service's own NATS connection for JetStream (the RPC transport keeps its own). */
@Injectable()
export class NatsConnection implements OnModuleInit, OnApplicationShutdown {
  private connection?: Connection;
  private manager?: JetStreamManager;

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(PINO_LOGGER) private readonly logger: Logger,
    health: HealthRegistry,
  ) {
    health.register({ name: 'nats', check: async () => void (await this.nc.rtt()) });
  }

  async onModuleInit(): Promise<void> {
    this.connection = await connect({
      servers: this.config.natsUrl,
      name: `${this.config.service}-events`,
      maxReconnectAttempts: -1,
    });
    this.manager = await this.connection.jetstreamManager();
    await ensureStreams(this.manager, this.config.streamReplicas);
    this.logger.info({ natsUrl: this.config.natsUrl }, 'connected to NATS, streams ready');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection && !this.connection.isClosed()) await this.connection.drain();
  }

  get nc(): Connection {
    if (!this.connection) throw new Error('NATS is not connected yet');
    return this.connection;
  }

  get js(): JetStreamClient {
    return this.nc.jetstream();
  }

  get jsm(): JetStreamManager {
    if (!this.manager) throw new Error('NATS is not connected yet');
    return this.manager;
  }
}
