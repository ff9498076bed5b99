import { Module } from '@nestjs/common';
import { PortfolioController } from './portfolio.controller.js';
import { PortfolioReadModel } from './portfolio.read-model.js';

@Module({ controllers: [PortfolioController], providers: [PortfolioReadModel] })
export class PortfolioModule {}
