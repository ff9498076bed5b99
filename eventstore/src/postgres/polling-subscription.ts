import type { Position, RecordedEvent, Subscription, SubscriptionMessage } from '../types.js';
import type { Wakeups } from './wakeups.js';

/** One read: the events to deliver, the cursor to read after next, and whether more is already waiting. */
export interface PollPage<Cursor> {
  events: RecordedEvent[];
  /** Can lie beyond the last event: a filtered read may have looked at (and skipped) later ones. */
  cursor: Cursor | null;
  more: boolean;
}

export interface PollSource<Cursor> {
  /** Events strictly after `cursor`, in delivery order, at most `limit`. */
  fetch(cursor: Cursor | null, limit: number): Promise<PollPage<Cursor>>;
  /**
   * True when committed events lie after the cursor although the last read came back short: they
   * were held back by an older open transaction (any writer: a projection batch, another append)
   * or settled just after the read. No new append will announce them, so the subscription looks
   * again soon.
   */
  pendingAfter?(cursor: Cursor | null): Promise<boolean>;
}

/** A page from a plain query that returned `events` for a read of at most `limit` after `cursor`. */
export function pageOf<Cursor>(events: RecordedEvent[], limit: number, cursor: Cursor | null, cursorOf: (event: RecordedEvent) => Cursor): PollPage<Cursor> {
  return { events, cursor: events.length ? cursorOf(events[events.length - 1]) : cursor, more: events.length === limit };
}

/** Where reading starts: a known cursor, or one resolved once before the first read (a start at 'end'). */
export type StartCursor<Cursor> = Cursor | null | (() => Promise<Cursor | null>);

export interface PollingOptions {
  batchSize: number;
  /** Upper bound on delivery delay when a wake-up hint is lost. */
  pollMs: number;
  /** Delay before looking again when events wait only for an older transaction to settle. */
  settleRetryMs?: number;
}

/**
 * Reads in batches after a cursor; when a read comes back short it reports caught-up once, then
 * sleeps until a wake-up hint or the poll interval. A hint that arrives while a read is in flight
 * marks the subscription dirty, so it is never lost between the read and the sleep.
 */
export class PollingSubscription<Cursor> implements Subscription {
  private stopped = false;
  private dirty = false;
  private wake?: () => void;
  private readonly detach: () => void;
  private started = false;
  private cursor: Cursor | null = null;

  constructor(
    private readonly source: PollSource<Cursor>,
    private readonly start: StartCursor<Cursor>,
    wakeups: Wakeups,
    private readonly options: PollingOptions,
    /** Reported with caughtUp until an event is delivered: the exclusive start, when it is a position. */
    private lastPosition: Position | null = null,
  ) {
    this.detach = wakeups.onWake(() => {
      this.dirty = true;
      this.wake?.();
    });
  }

  async unsubscribe(): Promise<void> {
    this.stopped = true;
    this.detach();
    this.wake?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    if (this.started) throw new Error('a subscription can be iterated once');
    this.started = true;
    return this.messages();
  }

  private async *messages(): AsyncGenerator<SubscriptionMessage> {
    let caughtUp = false;
    try {
      // Resolved once: re-resolving 'end' on a later read would move the start or, worse, rewind it.
      this.cursor = typeof this.start === 'function' ? await (this.start as () => Promise<Cursor | null>)() : this.start;
      let prefetched: Promise<PollPage<Cursor>> | null = null;
      while (!this.stopped) {
        const page = await (prefetched ?? this.fetch(this.cursor));
        prefetched = null;
        // While catching up, the next page is read while this one is being consumed.
        if (page.more) prefetched = this.fetch(page.cursor);
        for (const event of page.events) {
          if (this.stopped) return;
          this.lastPosition = event.position;
          yield { kind: 'event', event };
        }
        this.cursor = page.cursor;
        if (!page.more) {
          if (!caughtUp) {
            caughtUp = true;
            yield { kind: 'caughtUp', position: this.lastPosition };
          }
          const pending = this.source.pendingAfter && !this.dirty && (await this.source.pendingAfter(this.cursor));
          await this.sleep(pending ? this.options.settleRetryMs ?? 2 : this.options.pollMs);
        }
      }
    } finally {
      this.stopped = true;
      this.detach();
    }
  }

  /** Clears the wake-up flag as the read goes out: a hint arriving after this point wakes the next sleep. */
  private fetch(cursor: Cursor | null): Promise<PollPage<Cursor>> {
    this.dirty = false;
    const read = this.source.fetch(cursor, this.options.batchSize);
    read.catch(() => undefined); // a prefetch abandoned by unsubscribe must not surface as unhandled
    return read;
  }

  private sleep(ms: number): Promise<void> {
    if (this.dirty || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
