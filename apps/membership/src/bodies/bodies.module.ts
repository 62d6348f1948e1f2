import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LockingModule } from '@cg/persistence';
import { PeopleModule } from '../people/people.module';
import { Body, BodySchema, Term, TermSchema } from './body.schema';
import { BodiesController } from './bodies.controller';
import { BodiesRepository } from './bodies.repository';
import { BodiesService } from './bodies.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Body.name, schema: BodySchema },
      { name: Term.name, schema: TermSchema },
    ]),
    PeopleModule,
    LockingModule,
  ],
  controllers: [BodiesController],
  providers: [BodiesRepository, BodiesService],
  exports: [BodiesService],
})
export class BodiesModule {}
