import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { LockingModule } from '@cg/persistence';
import { changeRecordSchema } from '../activities/change-journal';
import { ResidentsModule } from '../residents/residents.module';
import { MicroWish, MicroWishSchema } from './micro-wish.schema';
import { MicroWishesController } from './micro-wishes.controller';
import { MICRO_WISH_CHANGES, MicroWishesRepository } from './micro-wishes.repository';
import { MicroWishesService } from './micro-wishes.service';

@Module({
  imports: [
    MongooseModule.forFeature([
      { name: MicroWish.name, schema: MicroWishSchema },
      { name: MICRO_WISH_CHANGES, schema: changeRecordSchema('micro_wish_changes') },
    ]),
    ResidentsModule,
    LockingModule,
  ],
  controllers: [MicroWishesController],
  providers: [MicroWishesRepository, MicroWishesService],
  exports: [MicroWishesService],
})
export class MicroWishesModule {}
