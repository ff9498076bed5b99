/**
 * The EventStore port. Both adapters (PostgreSQL, EventStoreDB) implement it and pass the one
 * contract suite in `eventstore/test/contract`. Revisions are 0-based bigints per stream.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Metadata = Record<string, JsonValue | undefined>;

/** What a caller appends: `id` is a UUID chosen by the caller, which makes re-appends idempotent. */
export interface EventData<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  data: Data;
  metadata?: Metadata;
}

/**
 * A place in the global log. PostgreSQL: commit = tx_id (xid8), prepare = global_position.
 * EventStoreDB: its own commit and prepare positions. Ordered by (commit, prepare).
 */
export interface Position {
  commit: bigint;
  prepare: bigint;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> {
  id: string;
  type: Type;
  streamId: string;
  revision: bigint;
  position: Position;
  data: Data;
  metadata: Metadata;
  createdAt: Date;
}

export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event in the stream after the append. */
  nextExpectedRevision: bigint;
  /** Position of the last appended event. */
  position: Position;
  /**
   * True when every event was already recorded (an idempotent re-append) and nothing was written.
   * A duplicate at the expected revision is otherwise indistinguishable from a fresh append; a
   * store that cannot always tell may say true when unsure (the caller then reads), never false.
   */
  duplicate?: boolean;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  direction?: Direction;
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint | 'start' | 'end';
  maxCount?: number;
}

export interface ReadAllOptions {
  direction?: Direction;
  /** Inclusive. */
  fromPosition?: Position | 'start' | 'end';
  maxCount?: number;
  filter?: EventFilter;
}

export interface EventFilter {
  /** Stream categories: the part of the stream id before the first '-'. */
  streamCategories?: string[];
  eventTypes?: string[];
}

export type SubscriptionMessage =
  | { kind: 'event'; event: RecordedEvent }
  | { kind: 'caughtUp'; position: Position | null };

/**
 * A pull subscription: iterate it with `for await`. It delivers history, then one `caughtUp`,
 * then live events, in log order. Consumers control the pace (no unbounded buffering).
 */
export interface Subscription extends AsyncIterable<SubscriptionMessage> {
  unsubscribe(): Promise<void>;
}

export interface SubscribeToAllOptions {
  /** Exclusive: the first delivered event comes after this position. */
  fromPosition?: Position | 'start' | 'end';
  filter?: EventFilter;
}

export interface SubscribeToStreamOptions {
  /** Exclusive: the first delivered event has revision fromRevision + 1. */
  fromRevision?: bigint | 'start' | 'end';
}

export interface EventStore {
  appendToStream(streamId: string, events: EventData[], options?: AppendOptions): Promise<AppendResult>;
  /** Throws StreamNotFoundError when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  subscribeToStream(streamId: string, options?: SubscribeToStreamOptions): Subscription;
  close(): Promise<void>;
}

export function streamCategory(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}
