import { Module } from '@nestjs/common';
import { SignalsController } from './signals.controller.js';
import { SignalsReadModel } from './signals.read-model.js';

@Module({ controllers: [SignalsController], providers: [SignalsReadModel] })
export class SignalsModule {}
