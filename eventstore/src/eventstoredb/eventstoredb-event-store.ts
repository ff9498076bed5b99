import {
  EventStoreDBClient,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { AppendSizeExceededError, MAX_APPEND_BYTES, MAX_APPEND_EVENTS } from '../errors.js';
import {
  type AppendOptions,
  type AppendResult,
  type EventData,
  type EventStore,
  type Position,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeToAllOptions,
  type SubscribeToStreamOptions,
  type Subscription,
} from '../types.js';
import { eventMatches, toServerFilter } from './filters.js';
import { watchAllHead, watchStreamHead } from './head.js';
import {
  fromClientError,
  fromClientEvent,
  fromClientPosition,
  toClientDirection,
  toClientEvent,
  toClientExpectedRevision,
  toReadPosition,
  toReadRevision,
} from './mapping.js';
import { PulledSubscription, type PulledItem } from './pulled-subscription.js';
import { readAllFiltered } from './read-all.js';

/** The EventStore port on EventStoreDB (gRPC client 6.x, server 22.10+; caughtUp needs 23.10+). */
export class EventStoreDbEventStore implements EventStore {
  constructor(private readonly client: EventStoreDBClient) {}

  static fromConnectionString(url: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(url));
  }

  async appendToStream(streamId: string, events: EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    // Same rule as the PostgreSQL adapter: an empty append has no revision or position to report.
    if (!events.length) throw new RangeError('an append needs at least one event');
    const expected = options.expectedRevision ?? 'any';
    const bytes = events.reduce((sum, e) => sum + Buffer.byteLength(JSON.stringify(e.data ?? null)) + Buffer.byteLength(JSON.stringify(e.metadata ?? {})), 0);
    if (events.length > MAX_APPEND_EVENTS || bytes > MAX_APPEND_BYTES) throw new AppendSizeExceededError(streamId, events.length, bytes);
    try {
      const result = await this.client.appendToStream(streamId, events.map(toClientEvent), {
        expectedRevision: toClientExpectedRevision(expected),
      });
      // The port promises the last appended event's position. The server's answer is that for a
      // fresh single-event write; for a batch it can be the transaction's, and an idempotent
      // re-append comes back without one. Then we read the event at the returned revision.
      const position = events.length === 1 && result.position
        ? fromClientPosition(result.position)
        : await this.positionAt(streamId, result.nextExpectedRevision);
      // No position in the answer is the server's idempotent re-append; a batch may also lack one,
      // and calling it a duplicate then only costs the caller a read.
      return { nextExpectedRevision: result.nextExpectedRevision, position, ...(!result.position && { duplicate: true }) };
    } catch (error) {
      throw fromClientError(error, { streamId, expected, events: events.length, bytes });
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const direction = options.direction ?? 'forwards';
    const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
    // A zero count still has to tell a missing stream apart, so read one event and drop it.
    const maxCount = options.maxCount === 0 ? 1 : options.maxCount;
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, { direction: toClientDirection(direction), fromRevision: toReadRevision(from), maxCount });
      for await (const resolved of read) {
        if (resolved.event) events.push(fromClientEvent(resolved.event));
      }
    } catch (error) {
      throw fromClientError(error, { streamId });
    }
    return options.maxCount === 0 ? [] : events;
  }

  readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    return readAllFiltered(this.client, options);
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    const from = options.fromPosition ?? 'start';
    const filter = options.filter;
    const filtered = (filter?.streamCategories?.length ?? 0) + (filter?.eventTypes?.length ?? 0) > 0;
    let subscription: PulledSubscription<AllStreamResolvedEvent> | null = null;
    // Unfiltered, we take system events too and drop them here: every raw item then carries a
    // position, which the old-server caught-up fallback needs. Filtered, the server filters and
    // its checkpoints carry the positions.
    const source = this.client.subscribeToAll({
      fromPosition: toReadPosition(from),
      ...(filtered ? { filter: toServerFilter(filter, (_s, position) => subscription?.checkpoint(fromClientPosition(position))) } : {}),
    });
    subscription = new PulledSubscription<AllStreamResolvedEvent>(
      source,
      (resolved) => convert(resolved, (event) => eventMatches(filter, event)),
      (error) => fromClientError(error, { streamId: '$all' }),
      from === 'start' || from === 'end' ? null : from,
    );
    void watchAllHead(this.client, subscription as PulledSubscription<unknown>, from).catch(() => undefined);
    return subscription;
  }

  subscribeToStream(streamId: string, options: SubscribeToStreamOptions = {}): Subscription {
    const from = options.fromRevision ?? 'start';
    const source = this.client.subscribeToStream(streamId, { fromRevision: toReadRevision(from) });
    const subscription = new PulledSubscription<ResolvedEvent>(
      source,
      (resolved) => convert(resolved, () => true),
      (error) => fromClientError(error, { streamId }),
      null,
    );
    void watchStreamHead(this.client, subscription as PulledSubscription<unknown>, streamId, from).catch(() => undefined);
    return subscription;
  }

  close(): Promise<void> {
    return this.client.dispose();
  }

  private async positionAt(streamId: string, revision: bigint): Promise<Position> {
    for await (const resolved of this.client.readStream(streamId, { fromRevision: revision, maxCount: 1 })) {
      if (resolved.event?.position) return fromClientPosition(resolved.event.position);
    }
    // Servers before 22.6 put no position on stream reads; the port has no "unknown" position.
    return { commit: 0n, prepare: 0n };
  }
}

function convert(resolved: ResolvedEvent | AllStreamResolvedEvent, keep: (event: RecordedEvent) => boolean): PulledItem {
  if (!resolved.event) return { event: null, position: null, revision: null };
  const event = fromClientEvent(resolved.event);
  const position = resolved.event.position ? event.position : null;
  return { event: keep(event) ? event : null, position, revision: event.revision };
}
