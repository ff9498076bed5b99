import type pg from 'pg';
import { comparePositions, type Position, type RecordedEvent } from '../types.js';
import type { PollPage } from './polling-subscription.js';
import { readAllQuery, tailPageQuery } from './queries.js';
import { toRecordedEvent, type EventRow } from './rows.js';

export interface TailOptions {
  /** Settled events read per refresh. */
  pageSize: number;
  /** Events kept in memory at most; a subscription further behind reads the table itself until it catches up. */
  capacity: number;
}

/** A reader that has not read for this long no longer holds events in the buffer (it ended, or it is busy: it reads the table if it falls behind). */
const READER_IDLE_MS = 2_000;
/** Events every reader has passed are dropped this many at a time at least, so the copy is not paid on every refresh. */
const MIN_DROP = 512;

/** Log order, null being "before the first event". */
export function compareCursors(a: Position | null, b: Position | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  return comparePositions(a, b);
}

/**
 * The settled end of the log, read once for every live subscribeToAll in the process.
 *
 * Without it each subscription polls the events table on every wake-up: with fifteen projections
 * and sagas, one append cost ~30 reads. Here one reader keeps the last `capacity` settled events
 * in order, and every live subscription filters them in memory; reads are coalesced, so a burst of
 * wake-ups costs one or two queries. A subscription that is further behind than the buffer reaches
 * reads the table with its own filter (catch-up) and joins once it has caught up.
 *
 * Freshness: a subscription that has seen everything buffered waits for a refresh that *started
 * after* it asked, so a wake-up (sent after a commit) is never answered from an older read.
 * Delivered events are shared between subscriptions: consumers must not mutate them.
 *
 * Memory: the buffer keeps what some live reader still needs (`noteReader`), up to `capacity`.
 * Keeping the last 20,000 events whatever the readers had read kept each event alive ~7 s at
 * 3,000 events/s, long enough to be promoted out of V8's young generation and die old: ~20 MB
 * of a ~100 MB live heap was events every reader had passed. Now an event is dropped once the
 * slowest live reader has passed it (bench:webhooks at 1,000/s, half scale, two A/B pairs:
 * receipt→processing p99 72 / 90 → 66 / 47 ms).
 */
export class LogTail {
  private buffer: RecordedEvent[] = [];
  /** Exclusive lower bound of the buffer: every settled event in (base, head] is in it. */
  private base: Position | null = null;
  private head: Position | null = null;
  private ready = false;
  private lastPageFull = false;
  private unsettledBeyondHead = false;
  private inFlight?: Promise<void>;
  private nextRefresh?: Promise<void>;
  /** Where each live reader reads next, and when it last read. */
  private readonly readers = new Map<object, { cursor: Position | null; at: number }>();

  constructor(private readonly pool: pg.Pool, private readonly options: TailOptions) {}

  /** The buffer's head, once known: a catch-up read issued after this has seen everything up to it. */
  get knownHead(): { position: Position | null } | null {
    return this.ready ? { position: this.head } : null;
  }

  /** Events held in memory. */
  get size(): number {
    return this.buffer.length;
  }

  /** `reader` (one per subscription) will read after `cursor` next: the buffer keeps what it has not read yet. */
  noteReader(reader: object, cursor: Position | null): void {
    this.readers.set(reader, { cursor, at: performance.now() });
  }

  /** True when the subscription at `cursor` can be served from memory. */
  covers(cursor: Position | null): boolean {
    return this.ready && compareCursors(cursor, this.base) >= 0 && compareCursors(cursor, this.head) <= 0;
  }

  /** Committed events beyond the head wait only for an older transaction to end: look again soon. */
  get pending(): boolean {
    return this.unsettledBeyondHead;
  }

  /**
   * Events after `cursor` that `matches` accepts, up to `limit`, and the cursor up to which the buffer
   * was looked at; null when the buffer no longer (or not yet) covers the cursor, and the caller must
   * read the table.
   */
  async read(cursor: Position | null, limit: number, matches: (event: RecordedEvent) => boolean): Promise<PollPage<Position> | null> {
    // A full page from what is buffered needs no refresh; reaching the end of the buffer does.
    const buffered = this.covers(cursor) ? this.scan(cursor, limit, matches) : null;
    if (buffered?.full) return buffered;
    await this.refreshed();
    const from = buffered?.cursor ?? cursor;
    // Only a refresh larger than the buffer can have dropped `from`: deliver what was found, then read the table.
    if (!this.covers(from)) return buffered?.events.length ? { ...buffered, more: true } : null;
    const fresh = this.scan(from, limit - (buffered?.events.length ?? 0), matches);
    return buffered ? { ...fresh, events: [...buffered.events, ...fresh.events] } : fresh;
  }

  private scan(cursor: Position | null, limit: number, matches: (event: RecordedEvent) => boolean): PollPage<Position> & { full: boolean } {
    const events: RecordedEvent[] = [];
    for (let i = this.indexAfter(cursor); i < this.buffer.length; i++) {
      const event = this.buffer[i];
      if (!matches(event)) continue;
      events.push(event);
      if (events.length === limit) return { events, cursor: event.position, more: true, full: true };
    }
    return { events, cursor: this.head, more: this.lastPageFull, full: false };
  }

  /**
   * Resolves after a refresh sent after this call. Callers share the next refresh until it is sent:
   * while one is in flight that is the one after it; while idle, one sent on the next turn of the
   * event loop, so the subscriptions one wake-up releases all ride on a single query.
   */
  refreshed(): Promise<void> {
    this.nextRefresh ??= this.afterInFlight().then(() => this.startRefresh());
    return this.nextRefresh;
  }

  private async afterInFlight(): Promise<void> {
    if (this.inFlight) await this.inFlight.catch(() => undefined);
    else await new Promise((resolve) => setImmediate(resolve));
  }

  private startRefresh(): Promise<void> {
    this.nextRefresh = undefined; // from here on, a caller needs the refresh after this one
    this.inFlight = this.refresh().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async refresh(): Promise<void> {
    if (!this.ready) {
      const { rows } = await this.pool.query<EventRow>(readAllQuery({ direction: 'backwards', fromPosition: 'end', maxCount: 1 }));
      this.base = this.head = rows[0] ? toRecordedEvent(rows[0]).position : null;
      this.ready = true;
    }
    const { rows } = await this.pool.query<EventRow & { unsettled_after: boolean | null }>(tailPageQuery(this.head, this.options.pageSize));
    // Found by its null stream id rather than its place: UNION ALL promises no order.
    const marker = rows.find((row) => row.stream_id === null)!;
    const events = rows.filter((row) => row !== marker).map(toRecordedEvent);
    this.lastPageFull = events.length === this.options.pageSize;
    this.unsettledBeyondHead = !this.lastPageFull && marker.unsettled_after === true;
    if (events.length) {
      this.buffer.push(...events);
      this.head = events[events.length - 1].position;
      this.trim();
    }
  }

  /**
   * Drops the events every live reader has passed, and beyond that the oldest once the buffer is a
   * quarter over capacity; in runs, so the copy is not paid on every refresh. A reader behind the
   * buffer reads the table, so it holds nothing here.
   */
  private trim(): void {
    const overCapacity = this.buffer.length > this.options.capacity * 1.25 ? this.buffer.length - this.options.capacity : 0;
    const passed = this.passedByAll();
    const drop = Math.max(overCapacity, passed >= Math.min(MIN_DROP, this.buffer.length) ? passed : 0);
    if (drop === 0) return;
    this.base = this.buffer[drop - 1].position;
    this.buffer = this.buffer.slice(drop);
  }

  /** How many of the oldest buffered events no live reader needs any more (none while no reader is known). */
  private passedByAll(): number {
    const idleSince = performance.now() - READER_IDLE_MS;
    let passed = this.buffer.length;
    for (const [reader, { cursor, at }] of this.readers) {
      if (at < idleSince) this.readers.delete(reader);
      else if (compareCursors(cursor, this.base) >= 0) passed = Math.min(passed, this.indexAfter(cursor));
    }
    return this.readers.size ? passed : 0;
  }

  /** Index of the first buffered event after `cursor` (binary search: the buffer is in log order). */
  private indexAfter(cursor: Position | null): number {
    let low = 0;
    let high = this.buffer.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (compareCursors(this.buffer[mid].position, cursor) <= 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
