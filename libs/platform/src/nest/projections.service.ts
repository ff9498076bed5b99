import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ProjectionRunner, type EventStore, type Projection, type ProjectionStatus } from '#eventstore';
import { DataSource } from 'typeorm';
import { EVENT_STORE, PROJECTIONS } from './tokens.js';

/** Runs every registered projection and saga in this process; each runs once per cluster. */
@Injectable()
export class ProjectionsService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Projections');
  readonly runners: ProjectionRunner[];

  constructor(
    @Inject(PROJECTIONS) projections: Projection[],
    @Inject(EVENT_STORE) store: EventStore,
    dataSource: DataSource,
  ) {
    this.runners = projections.map(
      (projection) => new ProjectionRunner(projection, store, dataSource, { log: (line) => this.logger.warn(line) }),
    );
  }

  onApplicationBootstrap(): void {
    for (const runner of this.runners) runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.stop()));
  }

  statuses(): ProjectionStatus[] {
    return this.runners.map((runner) => runner.status());
  }

  runner(name: string): ProjectionRunner | undefined {
    return this.runners.find((runner) => runner.projection.name === name);
  }
}
