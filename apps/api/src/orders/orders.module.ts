import { Module } from '@nestjs/common';
import { DayExpiryTimer } from './day-expiry.timer.js';
import { OrdersController } from './orders.controller.js';
import { TradesController } from './trades.controller.js';

@Module({ controllers: [OrdersController, TradesController], providers: [DayExpiryTimer] })
export class OrdersModule {}
