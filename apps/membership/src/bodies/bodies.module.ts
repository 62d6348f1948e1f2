import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { PeopleModule } from '../people/people.module';
import { Body, BodySchema, Position, PositionSchema } from './body.schema';
import { BodiesController } from './bodies.controller';
import { BodiesRepository } from './bodies.repository';
import { BodiesService } from './bodies.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Body.name, schema: BodySchema },
      { name: Position.name, schema: PositionSchema },
    ]),
    OutboxModule.forFeature([Position.name]),
    PeopleModule,
  ],
  controllers: [BodiesController],
  providers: [BodiesRepository, BodiesService],
  exports: [BodiesService],
})
export class BodiesModule {}
