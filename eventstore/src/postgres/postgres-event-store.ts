import pg from 'pg';
import { AppendSizeExceededError, MAX_APPEND_BYTES, MAX_APPEND_EVENTS, StreamNotFoundError, WrongExpectedVersionError } from '../errors.js';
import {
  streamCategory, type AppendOptions, type AppendResult, type EventData, type EventStore, type Position, type ReadAllOptions,
  type ReadStreamOptions, type RecordedEvent, type SubscribeToAllOptions, type SubscribeToStreamOptions, type Subscription,
} from '../types.js';
import { PollingSubscription, type PollingOptions } from './polling-subscription.js';
import { readAllQuery, readStreamQuery, settledAfterQuery, streamAfterQuery, unsettledAfterQuery } from './queries.js';
import { toRecordedEvent, type EventRow } from './rows.js';
import { NOTIFY_CHANNEL, Wakeups } from './wakeups.js';

export interface PostgresEventStoreOptions {
  connectionString?: string;
  pool?: pg.Pool;
  poolSize?: number;
  subscription?: Partial<PollingOptions>;
}

export interface PostgresAppendOptions extends AppendOptions {
  /** Append inside the caller's open transaction (atomic with the caller's own writes). */
  client?: pg.PoolClient | pg.Client;
}

const APPEND_SQL = 'select outcome, revision, tx_id::text as tx_id, global_position from es_append($1, $2, $3, $4, $5, $6, $7)';

export class PostgresEventStore implements EventStore {
  readonly pool: pg.Pool;
  private readonly ownsPool: boolean;
  private readonly wakeups: Wakeups;
  private readonly polling: PollingOptions;

  constructor(options: PostgresEventStoreOptions) {
    this.ownsPool = !options.pool;
    this.pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 20 });
    this.pool.on('error', () => undefined); // an idle client dropped by the server is replaced on next use
    this.wakeups = new Wakeups(this.pool);
    this.polling = { batchSize: 1000, pollMs: 250, ...options.subscription };
  }

  async appendToStream(streamId: string, events: EventData[], options: PostgresAppendOptions = {}): Promise<AppendResult> {
    if (!events.length) throw new RangeError('an append needs at least one event');
    const data = events.map((e) => JSON.stringify(e.data ?? null));
    const meta = events.map((e) => JSON.stringify(e.metadata ?? {}));
    const bytes = data.reduce((n, d) => n + d.length, 0) + meta.reduce((n, m) => n + m.length, 0);
    if (events.length > MAX_APPEND_EVENTS || bytes > MAX_APPEND_BYTES) throw new AppendSizeExceededError(streamId, events.length, bytes);
    const expected = options.expectedRevision ?? 'any';
    const params = [streamId, streamCategory(streamId), expected.toString(), events.map((e) => e.id), events.map((e) => e.type), data, meta];
    const db = options.client ?? this.pool;
    const { rows } = await db.query({ name: 'es_append', text: APPEND_SQL, values: params });
    const row = rows[0] as { outcome: string; revision: string; tx_id: string | null; global_position: string | null };
    if (row.outcome === 'wrong_expected_revision') {
      const actual = BigInt(row.revision);
      throw new WrongExpectedVersionError(streamId, expected, actual < 0n ? 'no_stream' : actual);
    }
    if (row.outcome === 'appended') {
      // Inside the caller's transaction the hint goes out with its commit; ours we send ourselves.
      if (options.client) await options.client.query(`select pg_notify('${NOTIFY_CHANNEL}', '')`);
      else this.wakeups.appended();
    }
    return { nextExpectedRevision: BigInt(row.revision), position: { commit: BigInt(row.tx_id!), prepare: BigInt(row.global_position!) } };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(readStreamQuery(streamId, options));
    if (!rows.length && !(await this.streamExists(streamId))) throw new StreamNotFoundError(streamId);
    return rows.map(toRecordedEvent);
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
    return new PollingSubscription<Position>(
      {
        fetch: async (cursor, limit) => (await this.pool.query<EventRow>(settledAfterQuery(cursor, limit, options.filter))).rows.map(toRecordedEvent),
        pendingAfter: async (cursor) => (await this.pool.query<{ pending: boolean }>(unsettledAfterQuery(cursor, options.filter))).rows[0].pending,
        cursorOf: (event) => event.position,
      },
      start,
      this.wakeups,
      this.polling,
      typeof from === 'object' ? from : null,
    );
  }

  subscribeToStream(streamId: string, options: SubscribeToStreamOptions = {}): Subscription {
    this.wakeups.listen();
    const from = options.fromRevision ?? 'start';
    const start = from === 'start' ? null : from === 'end' ? () => this.currentRevision(streamId) : from;
    return new PollingSubscription<bigint>(
      {
        // Within one stream revisions commit in order (appends lock the stream row), so the
        // revision alone is a safe cursor.
        fetch: async (cursor, limit) => (await this.pool.query<EventRow>(streamAfterQuery(streamId, cursor, limit))).rows.map(toRecordedEvent),
        cursorOf: (event) => event.revision,
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

  private async streamExists(streamId: string): Promise<boolean> {
    return (await this.currentRevision(streamId)) !== null;
  }
}
