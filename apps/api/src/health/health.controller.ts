import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { EventStore } from '#eventstore';
import { EVENT_STORE, ProjectionsService, REDIS, type RedisClient } from '#libs/platform';
import { DataSource } from 'typeorm';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly db: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REDIS) private readonly redis: RedisClient | null,
    @Optional() private readonly projections?: ProjectionsService,
  ) {}

  /** Liveness: the process answers. Dependencies are the readiness check's business. */
  @Get()
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.indicator.check('database').attempt(async () => void (await this.db.query('select 1'))).withTimeout(2000),
      () => this.indicator.check('eventStore').attempt(async () => void (await this.store.readAll({ maxCount: 1 }))).withTimeout(2000),
      ...(this.redis ? [() => this.indicator.check('redis').attempt(async () => void (await this.redis!.ping())).withTimeout(1000)] : []),
      () => this.indicator.check('projections').up({ runners: this.projections?.statuses() ?? [] }),
    ]);
  }
}
