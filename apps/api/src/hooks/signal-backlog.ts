import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#libs/platform';
import { AUTO_TRADING_SAGA } from '#projections/webhooks';
import { webhookBacklog } from '../metrics/metrics.js';

const MEASURE_EVERY_MS = 200;

/**
 * Signals appended but not yet handled by the auto-trading saga: SignalRecorded rows after the
 * checkpoint of its slowest lane, counted on the (type, tx_id, global_position) index and capped just above
 * the limit, so one measurement costs at most WEBHOOK_MAX_BACKLOG index entries. Measured on a
 * timer, not per request; alerts accepted since the last measurement are added on top, so a
 * burst between two measurements cannot overshoot the limit by more than the in-flight requests.
 * Only the PostgreSQL event store has the `events` table; elsewhere the gauge stays at 0.
 */
@Injectable()
export class SignalBacklog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookBacklog');
  readonly limit: number;
  private measured = 0;
  private acceptedSince = 0;
  private timer?: NodeJS.Timeout;
  private measuring?: Promise<void>;
  private failing = false;

  constructor(private readonly db: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    this.limit = Number(config.WEBHOOK_MAX_BACKLOG);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.measure(), MEASURE_EVERY_MS);
    this.timer.unref();
    void this.measure();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.measuring;
  }

  get depth(): number {
    return this.measured + this.acceptedSince;
  }

  full(): boolean {
    return this.depth >= this.limit;
  }

  noteAccepted(): void {
    this.acceptedSince++;
  }

  measure(): Promise<void> {
    // Appends that finish while the count runs may be missing from it: only those seen before it started are dropped.
    const seen = this.acceptedSince;
    this.measuring ??= this.count()
      .then((n) => {
        this.measured = n;
        this.acceptedSince -= seen;
        this.failing = false;
        webhookBacklog.set(n);
      })
      .catch((error: unknown) => {
        if (!this.failing) this.logger.warn(`backlog measurement failed: ${String(error)}`);
        this.failing = true;
      })
      .finally(() => (this.measuring = undefined));
    return this.measuring;
  }

  private async count(): Promise<number> {
    // The slowest lane bounds the backlog: every signal after its checkpoint counts (an over-estimate, never an under-).
    const [checkpoint] = await this.db.query(
      `select commit_position::text as c, prepare_position::text as p from projection_checkpoints
        where name = $1 or name like $1 || '-%' order by commit_position::text::xid8 nulls first, prepare_position nulls first limit 1`,
      [AUTO_TRADING_SAGA],
    );
    const after = checkpoint?.c ? [checkpoint.c, checkpoint.p] : ['0', '0'];
    const [row] = await this.db.query(
      `select count(*)::int as n from (
         select 1 from events where type = 'SignalRecorded' and (tx_id, global_position) > ($1::text::xid8, $2::bigint) limit $3
       ) pending`,
      [...after, this.limit + 1],
    );
    return row.n;
  }
}
