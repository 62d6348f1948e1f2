import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { Shift, ShiftSchema } from './shift.schema';
import { ShiftsController } from './shifts.controller';
import { ShiftsRepository } from './shifts.repository';
import { ShiftsService } from './shifts.service';
import { SignUp, SignUpSchema } from './sign-up.schema';

const models = MongooseModule.forFeature([
  { name: Shift.name, schema: ShiftSchema },
  { name: SignUp.name, schema: SignUpSchema },
]);

@Module({
  imports: [models, OutboxModule.forFeature([SignUp.name])],
  controllers: [ShiftsController],
  providers: [ShiftsRepository, ShiftsService],
})
export class VolunteeringModule {}
