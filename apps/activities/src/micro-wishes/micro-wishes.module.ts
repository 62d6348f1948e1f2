import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxModule } from '@cg/messaging';
import { ResidentsModule } from '../residents/residents.module';
import { MicroWish, MicroWishSchema } from './micro-wish.schema';
import { MicroWishesController } from './micro-wishes.controller';
import { MicroWishesRepository } from './micro-wishes.repository';
import { MicroWishesService } from './micro-wishes.service';

const models = MongooseModule.forFeature([{ name: MicroWish.name, schema: MicroWishSchema }]);

@Module({
  imports: [models, OutboxModule.forFeature([MicroWish.name]), ResidentsModule],
  controllers: [MicroWishesController],
  providers: [MicroWishesRepository, MicroWishesService],
  exports: [MicroWishesService],
})
export class MicroWishesModule {}
