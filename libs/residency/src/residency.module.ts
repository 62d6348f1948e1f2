import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ResidencyFollower } from './residency.follower';
import { RESIDENCY_OPTIONS, ResidencyOptions } from './residency.options';
import { ResidencyRepository } from './residency.repository';
import { Residency, residencySchema } from './residency.schema';

/** A service's copy of where residents live. Register it once per service and re-export it where it is read. */
@Module({})
export class ResidencyModule {
  static register(options: ResidencyOptions): DynamicModule {
    return {
      module: ResidencyModule,
      imports: [
        MongooseModule.forFeature([
          { name: Residency.name, schema: residencySchema(options.collection, options.indexes) },
        ]),
      ],
      providers: [{ provide: RESIDENCY_OPTIONS, useValue: options }, ResidencyRepository, ResidencyFollower],
      exports: [ResidencyRepository],
    };
  }
}
