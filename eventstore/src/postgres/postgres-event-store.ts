import pg from 'pg';
import { StreamNotFoundError } from '../errors.js';
import {
  type AppendOptions, type AppendResult, type EventData, type EventFilter, type EventStore, type Position, type ReadAllOptions,
  type ReadStreamOptions, type RecordedEvent, type SubscribeToAllOptions, type SubscribeToStreamOptions, type Subscription,
} from '../types.js';
import { AppendCombiner, type CombinerOptions } from './append-combiner.js';
import { APPEND_SQL, appendParams, prepareAppend, toAppendResult, type AppendOutcome } from './appends.js';
import { matcherOf } from '../event-filter.js';
import { compareCursors, LogTail, type TailOptions } from './log-tail.js';
import { pageOf, PollingSubscription, type PollPage, type PollingOptions } from './polling-subscription.js';
import { readAllQuery, readStreamWithExistenceQuery, settledAfterQuery, streamAfterQuery, eventsAfterQuery } from './queries.js';
import { toRecordedEvent, type EventRow } from './rows.js';
import { PreparingClient } from './prepared-client.js';
import { NOTIFY_CHANNEL, Wakeups } from './wakeups.js';

export interface PostgresEventStoreOptions {
  connectionString?: string;
  pool?: pg.Pool;
  poolSize?: number;
  subscription?: Partial<PollingOptions>;
  appends?: Partial<CombinerOptions>;
  tail?: Partial<TailOptions>;
}

export interface PostgresAppendOptions extends AppendOptions {
  /** Append inside the caller's open transaction (atomic with the caller's own writes). */
  client?: pg.PoolClient | pg.Client;
}

export class PostgresEventStore implements EventStore {
  readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly wakeups: Wakeups;
  private readonly polling: PollingOptions;
  private readonly combiner: AppendCombiner;
  private readonly tail: LogTail;

  constructor(options: PostgresEventStoreOptions) {
    this.ownsPool = !options.pool;
    this.pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 20, Client: PreparingClient });
    this.pool.on('error', () => undefined); // an idle client dropped by the server is replaced on next use
    this.wakeups = new Wakeups(this.pool);
    this.polling = { batchSize: 1000, pollMs: 250, ...options.subscription };
    this.tail = new LogTail(this.pool, { pageSize: this.polling.batchSize, capacity: 20_000, ...options.tail });
    this.combiner = new AppendCombiner(this.pool, { maxInFlight: 1, maxAppends: 500, ...options.appends }, () => this.wakeups.appended());
  }

  async appendToStream(streamId: string, events: EventData[], options: PostgresAppendOptions = {}): Promise<AppendResult> {
    const append = prepareAppend(streamId, events, options.expectedRevision ?? 'any');
    if (!options.client) return toAppendResult(append, await this.combiner.append(append));
    // Inside the caller's transaction: never combined with other appends, whose fate it would share.
    const { rows } = await options.client.query<AppendOutcome>({ name: 'es_append', text: APPEND_SQL, values: appendParams(append) });
    const result = toAppendResult(append, rows[0]!);
    // The hint goes out with the caller's commit.
    if (rows[0]!.outcome === 'appended') await options.client.query(`select pg_notify('${NOTIFY_CHANNEL}', '')`);
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    // One round trip answers both "which events" and "does the stream exist" (a new stream, the
    // common case for a command on a fresh order, would otherwise cost a second query).
    const { rows } = await this.pool.query<EventRow & { stream_revision: string }>(readStreamWithExistenceQuery(streamId, options));
    if (!rows.length || BigInt(rows[0].stream_revision) < 0n) throw new StreamNotFoundError(streamId);
    return rows[0].global_position === null ? [] : rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(readAllQuery(options));
    return rows.map(toRecordedEvent);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    this.wakeups.listen();
    const from = options.fromPosition ?? 'start';
    // 'end' is the settled head: anything not yet settled there is still to come, so nothing is skipped.
    const start = from === 'start' ? null
      : from === 'end' ? async () => (await this.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1 }))[0]?.position ?? null
      : from;
    const matches = matcherOf(options.filter);
    const reader = {};
    return new PollingSubscription<Position>(
      {
        fetch: async (cursor, limit) => {
          const page = await this.readAfter(cursor, limit, options.filter, matches);
          this.tail.noteReader(reader, page.cursor);
          return page;
        },
        // The tail keeps watch for late settlers itself; only a subscription still catching up asks.
        pendingAfter: async (cursor) => this.tail.covers(cursor) ? this.tail.pending
          : (await this.pool.query<{ pending: boolean }>(eventsAfterQuery(cursor, options.filter))).rows[0].pending,
      },
      start,
      this.wakeups,
      this.polling,
      typeof from === 'object' ? from : null,
    );
  }

  /**
   * Live subscriptions read from the shared tail; one behind it reads the table with its own filter.
   * A catch-up read that comes back short has seen everything the tail had when it was sent (settled
   * stays settled), so its cursor moves up to that head and the next read is served by the tail.
   */
  private async readAfter(
    cursor: Position | null, limit: number, filter: EventFilter | undefined, matches: (event: RecordedEvent) => boolean,
  ): Promise<PollPage<Position>> {
    if (compareCursors(cursor, this.tail.knownHead?.position ?? null) > 0 || !this.tail.knownHead) await this.tail.refreshed();
    const fromTail = this.tail.covers(cursor) ? await this.tail.read(cursor, limit, matches) : null;
    if (fromTail) return fromTail;
    const seen = this.tail.knownHead;
    const { rows } = await this.pool.query<EventRow>(settledAfterQuery(cursor, limit, filter));
    const page = pageOf(rows.map(toRecordedEvent), limit, cursor, (event) => event.position);
    if (!page.more && seen && compareCursors(seen.position, page.cursor) > 0) page.cursor = seen.position;
    return page;
  }

  subscribeToStream(streamId: string, options: SubscribeToStreamOptions = {}): Subscription {
    this.wakeups.listen();
    const from = options.fromRevision ?? 'start';
    const start = from === 'start' ? null : from === 'end' ? () => this.currentRevision(streamId) : from;
    return new PollingSubscription<bigint>(
      {
        // Within one stream revisions commit in order (appends lock the stream row), so the
        // revision alone is a safe cursor.
        fetch: async (cursor, limit) =>
          pageOf((await this.pool.query<EventRow>(streamAfterQuery(streamId, cursor, limit))).rows.map(toRecordedEvent), limit, cursor, (event) => event.revision),
      },
      start,
      this.wakeups,
      this.polling,
    );
  }

  async close(): Promise<void> {
    await this.wakeups.close();
    if (this.ownsPool) await this.pool.end();
  }

  private async currentRevision(streamId: string): Promise<bigint | null> {
    const { rows } = await this.pool.query('select revision from event_streams where stream_id = $1 and revision >= 0', [streamId]);
    return rows.length ? BigInt(rows[0].revision) : null;
  }
}
