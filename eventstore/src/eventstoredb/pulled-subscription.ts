import type { Position, RecordedEvent, Subscription, SubscriptionMessage } from '../types.js';

/** The part of the client's catch-up subscriptions (object-mode Readables) that we use. */
export interface ClientSubscription {
  read(): unknown;
  readonly readableLength: number;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  unsubscribe(): Promise<void>;
  destroy(): unknown;
}

export interface PulledItem {
  /** Null when the item is filtered out (system event, other category). */
  event: RecordedEvent | null;
  /** Where the raw item sits in the log, to tell when the fallback head is reached. */
  position: Position | null;
  revision: bigint | null;
}

/**
 * Adapts the client's push-style Readable to the port's pull iterator. We only ever call
 * `read()`, so the Readable stays paused: its buffer (highWaterMark items) fills, the client's
 * Transform stops, gRPC flow control stops the server. Nothing buffers without bound.
 *
 * `caughtUp` must come out in order with the events. The client emits it from its Transform after
 * pushing every event that preceded it, so at that moment the marker belongs right after the
 * `readableLength` items still buffered: we record that index and emit the marker when we get there.
 */
export class PulledSubscription<Item> implements Subscription {
  private consumed = 0;
  private caughtUpAt: number | null = null;
  private caughtUpSent = false;
  private lastPosition: Position | null;
  private lastItem: PulledItem | null = null;
  private lastCheckpoint: PulledItem | null = null;
  private headReached: ((item: PulledItem) => boolean) | null = null;
  private closed = false;
  private ended = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly source: ClientSubscription,
    private readonly convert: (item: Item) => PulledItem,
    private readonly mapError: (error: unknown) => unknown,
    startPosition: Position | null,
  ) {
    this.lastPosition = startPosition;
    const signal = () => this.signal();
    source.on('readable', signal);
    source.on('end', () => { this.ended = true; signal(); });
    source.on('close', () => { this.ended = true; signal(); });
    source.on('error', (error: unknown) => { this.failure = this.mapError(error); signal(); });
    source.on('caughtUp', () => this.markCaughtUpAfterBuffered());
  }

  /** Server-side or checkpoint evidence that history is exhausted up to what is buffered now. */
  markCaughtUpAfterBuffered(): void {
    if (this.caughtUpAt === null) this.caughtUpAt = this.consumed + this.source.readableLength;
    this.signal();
  }

  /**
   * Fallback for servers that never send caughtUp (before 23.10): the adapter read the head when
   * subscribing; `reached` says whether an item is at or past it. `alreadyThere` covers a start
   * at or after the head, or an empty log.
   */
  watchHead(reached: (item: PulledItem) => boolean, alreadyThere: boolean): void {
    if (this.caughtUpAt !== null) return;
    // The head read races the subscription: items consumed meanwhile may already be past it.
    if (alreadyThere || (this.lastItem && reached(this.lastItem))) {
      this.caughtUpAt = this.consumed;
      this.signal();
      return;
    }
    if (this.lastCheckpoint && reached(this.lastCheckpoint)) return this.markCaughtUpAfterBuffered();
    this.headReached = reached;
  }

  /** A filtered subscription's checkpoint: the server has scanned the log up to `position`. */
  checkpoint(position: Position): void {
    const item = { event: null, position, revision: null };
    this.lastCheckpoint = item;
    if (this.headReached?.(item)) this.markCaughtUpAfterBuffered();
  }

  [Symbol.asyncIterator](): AsyncIterator<SubscriptionMessage> {
    return {
      next: () => this.next(),
      return: async () => {
        await this.unsubscribe();
        return { done: true, value: undefined };
      },
    };
  }

  async unsubscribe(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signal();
    await this.source.unsubscribe();
    this.source.destroy();
  }

  private async next(): Promise<IteratorResult<SubscriptionMessage>> {
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      if (!this.caughtUpSent && this.caughtUpAt !== null && this.consumed >= this.caughtUpAt) {
        this.caughtUpSent = true;
        this.headReached = null;
        return { done: false, value: { kind: 'caughtUp', position: this.lastPosition } };
      }
      const raw = this.source.read() as Item | null;
      if (raw !== null) {
        this.consumed += 1;
        const item = this.convert(raw);
        this.lastItem = item;
        if (item.position) this.lastPosition = item.position;
        if (this.headReached?.(item) && this.caughtUpAt === null) this.caughtUpAt = this.consumed;
        if (item.event) return { done: false, value: { kind: 'event', event: item.event } };
        continue;
      }
      if (this.failure !== null) throw this.failure;
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
