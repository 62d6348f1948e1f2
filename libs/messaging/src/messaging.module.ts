import { Global, Module } from '@nestjs/common';
import { DurableConsumers } from './consumer';
import { NatsConnection } from './nats-connection';
import { EventPublisher } from './publisher';
import { RpcClient } from './rpc-client';
import { RpcScopeInterceptor } from './rpc-server';
import { UploadStore } from './uploads';

@Global()
@Module({
  providers: [NatsConnection, EventPublisher, DurableConsumers, RpcClient, RpcScopeInterceptor, UploadStore],
  exports: [NatsConnection, EventPublisher, DurableConsumers, RpcClient, RpcScopeInterceptor, UploadStore],
})
export class MessagingModule {}
