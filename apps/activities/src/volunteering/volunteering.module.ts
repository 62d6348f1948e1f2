import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LockingModule } from '@cg/persistence';
import { Shift, ShiftSchema } from './shift.schema';
import { ShiftsController } from './shifts.controller';
import { ShiftsRepository } from './shifts.repository';
import { ShiftsService } from './shifts.service';
import { SignUp, SignUpSchema } from './sign-up.schema';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Shift.name, schema: ShiftSchema },
      { name: SignUp.name, schema: SignUpSchema },
    ]),
    LockingModule,
  ],
  controllers: [ShiftsController],
  providers: [ShiftsRepository, ShiftsService],
})
export class VolunteeringModule {}
