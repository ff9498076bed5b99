import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller.js';
import { TransfersController } from './transfers.controller.js';

@Module({ controllers: [AccountsController, TransfersController] })
export class AccountsModule {}
