import { DynamicModule, Injectable, Module } from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import { HealthRegistry, ServiceConfig } from '@cg/observability';
import { Connection } from 'mongoose';

@Injectable()
class DatabaseHealth {
  constructor(@InjectConnection() connection: Connection, health: HealthRegistry) {
    health.register({
      name: 'database',
      check: async () => {
        if (!connection.db) throw new Error('not connected');
        await connection.db.admin().ping();
      },
    });
  }
}

/** One database per service; nothing outside the service's repositories touches it. */
@Module({})
export class PersistenceModule {
  static forRoot(config: Pick<ServiceConfig, 'mongoUrl' | 'mongoDb'>): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        MongooseModule.forRoot(config.mongoUrl, {
          dbName: config.mongoDb,
          serverSelectionTimeoutMS: 5000,
          // Indexes are created explicitly at start-up (see syncIndexes), not lazily per model.
          autoIndex: false,
        }),
      ],
      providers: [DatabaseHealth],
    };
  }
}
