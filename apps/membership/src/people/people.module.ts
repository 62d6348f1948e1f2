import { Module } from '@nestjs/common';
import { ResidentsModule } from '../residents/residents.module';
import { PeopleDirectory } from './people.directory';

@Module({
  imports: [ResidentsModule],
  providers: [PeopleDirectory],
  exports: [PeopleDirectory],
})
export class PeopleModule {}
