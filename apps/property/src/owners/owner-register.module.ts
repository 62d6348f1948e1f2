import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OwnerRegisterController } from './owner-register.controller';
import { OwnerRegisterRepository } from './owner-register.repository';
import { OwnerRegisterService } from './owner-register.service';
import { RegisteredUnit, RegisteredUnitSchema } from './registered-unit.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: RegisteredUnit.name, schema: RegisteredUnitSchema }])],
  controllers: [OwnerRegisterController],
  providers: [OwnerRegisterRepository, OwnerRegisterService],
  exports: [OwnerRegisterRepository],
})
export class OwnerRegisterModule {}
