import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommandHandler } from '#eventstore';
import { APP_CONFIG, CLOCK, RunRole, type AppConfig } from '#libs/platform';
import { expireDueOrders } from '#projections/sagas';

const EVERY_MS = 1000;

/**
 * Price updates expire DAY orders on symbols that trade; this timer expires them on quiet ones.
 * It runs wherever the worker runs; several instances issue the same idempotent commands.
 */
@Injectable()
export class DayExpiryTimer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DayExpiry');
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly db: DataSource,
    private readonly commands: CommandHandler,
    @Inject(CLOCK) private readonly clock: () => Date,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.ROLE === RunRole.Api) return;
    this.timer = setInterval(() => {
      this.running ??= expireDueOrders(this.db.manager, this.commands, this.clock(), (line) => this.logger.warn(line))
        .catch((error: unknown) => this.logger.error(`expiry pass failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, EVERY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
