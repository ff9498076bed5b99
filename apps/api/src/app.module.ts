import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { CommandHandler, PreparingClient, type EventStore, type Projection } from '#eventstore';
import { APP_CONFIG, CLOCK, EVENT_STORE, PROJECTIONS, ProjectionsService, redisProvider, RunRole, REDIS, type AppConfig } from '#libs/platform';
import { createSagas, readModelEntities, runnableProjections } from '#projections/registry';
import { HealthController } from './health/health.controller.js';
import { AuthModule } from './auth/auth.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { SignalsModule } from './signals/signals.module.js';
import { MarketDataController } from './market-data/market-data.controller.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OrdersModule } from './orders/orders.module.js';
import { PortfolioModule } from './portfolio/portfolio.module.js';
import { ProblemFilter } from './http/problem.filter.js';
import { validationPipe } from './http/validation.js';

export interface AppRuntime {
  config: AppConfig;
  databaseUrl: string;
  eventStore: EventStore;
  /** Projections and sagas this process runs; the api-only role runs none. */
  projections?: Projection[];
  clock?: () => Date;
}

@Module({})
export class AppModule {
  static register(runtime: AppRuntime): DynamicModule {
    const runsWorker = runtime.config.ROLE !== RunRole.Api;
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: runtime.config },
      { provide: EVENT_STORE, useValue: runtime.eventStore },
      { provide: CLOCK, useValue: runtime.clock ?? (() => new Date()) },
      { provide: CommandHandler, useFactory: (store: EventStore) => new CommandHandler(store), inject: [EVENT_STORE] },
      {
        provide: PROJECTIONS,
        inject: [EVENT_STORE, CommandHandler, CLOCK],
        useFactory: (store: EventStore, commands: CommandHandler, clock: () => Date): Projection[] =>
          runsWorker ? runtime.projections ?? [...runnableProjections, ...createSagas({ store, commands, clock, config: runtime.config })] : [],
      },
      { provide: APP_PIPE, useValue: validationPipe },
      { provide: APP_FILTER, useClass: ProblemFilter },
      redisProvider,
      ProjectionsService,
    ];
    return {
      module: AppModule,
      // Feature modules (accounts, orders, signals ...) inject the event store, command handler and clock.
      global: true,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: runtime.databaseUrl,
          entities: readModelEntities,
          // Named prepared statements: each connection plans a projection's or endpoint's statement once.
          // A request waits at most 10 s for a free connection, then is answered 503 SERVICE_BUSY (ProblemFilter) instead of hanging.
          extra: { max: 20, Client: PreparingClient, connectionTimeoutMillis: 10_000 },
          logging: false,
        }),
        TerminusModule.forRoot({ logger: false }),
        AuthModule,
        OrdersModule, PortfolioModule,
        AccountsModule,
        SignalsModule,
        WebhooksModule, MetricsModule,
        LoggerModule.forRoot({
          pinoHttp: {
            level: runtime.config.LOG_LEVEL,
            // Request lines cost throughput at thousands of requests per second; errors are still logged.
            autoLogging: false,
            redact: ['req.headers.authorization', 'req.headers["x-signature"]', 'req.headers.cookie'],
          },
        }),
      ],
      controllers: [HealthController, MarketDataController],
      providers,
      exports: [ProjectionsService, CommandHandler, CLOCK, EVENT_STORE, APP_CONFIG, REDIS],
    };
  }
}
