import {
  ANY,
  BACKWARDS,
  END,
  FORWARDS,
  MaxAppendSizeExceededError,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError as ClientStreamNotFoundError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Direction as ClientDirection,
  type EventData as ClientEventData,
  type JSONType,
  type Position as ClientPosition,
  type ReadPosition,
  type ReadRevision,
  type RecordedEvent as ClientRecordedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { AppendSizeExceededError, StreamNotFoundError, WrongExpectedVersionError } from '../errors.js';
import type { Direction, EventData, ExpectedRevision, Metadata, Position, RecordedEvent } from '../types.js';

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'any': return ANY;
    case 'no_stream': return NO_STREAM;
    case 'stream_exists': return STREAM_EXISTS;
    default: return expected;
  }
}

// Both sides order positions by (commit, prepare); copying keeps the client's object out of ours.
export function toClientPosition(position: Position): ClientPosition {
  return { commit: position.commit, prepare: position.prepare };
}

export function fromClientPosition(position: ClientPosition): Position {
  return { commit: position.commit, prepare: position.prepare };
}

export function toReadPosition(from: Position | 'start' | 'end'): ReadPosition {
  if (from === 'start') return START;
  if (from === 'end') return END;
  return toClientPosition(from);
}

export function toReadRevision(from: bigint | 'start' | 'end'): ReadRevision {
  if (from === 'start') return START;
  if (from === 'end') return END;
  return from;
}

export function toClientDirection(direction: Direction): ClientDirection {
  return direction === 'backwards' ? BACKWARDS : FORWARDS;
}

/**
 * Turns the client's errors into the port's. The caller's expected revision is reported rather
 * than the error's: the server encodes `any`/`no_stream`/`stream_exists` as negative numbers.
 */
export function fromClientError(error: unknown, context: ErrorContext): unknown {
  const { streamId, expected = 'any' } = context;
  if (error instanceof ClientWrongExpectedVersionError) {
    return new WrongExpectedVersionError(streamId, expected, error.actualVersion);
  }
  if (error instanceof ClientStreamNotFoundError) return new StreamNotFoundError(streamId);
  if (error instanceof MaxAppendSizeExceededError) {
    return new AppendSizeExceededError(streamId, context.events ?? 0, context.bytes ?? 0);
  }
  return error;
}

export interface ErrorContext {
  streamId: string;
  expected?: ExpectedRevision;
  events?: number;
  bytes?: number;
}

export function toClientEvent(event: EventData): ClientEventData {
  return jsonEvent({
    id: event.id,
    type: event.type,
    data: event.data as JSONType,
    metadata: (event.metadata ?? {}) as JSONType,
  });
}

const utf8 = new TextDecoder();

function parseJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return value.length === 0 ? null : JSON.parse(utf8.decode(value));
  return value;
}

function toMetadata(value: unknown): Metadata {
  const parsed = parseJson(value ?? null);
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Metadata) : {};
}

/**
 * Servers older than 22.6 leave `position` off events read from a stream; the port has no
 * "unknown" position, so those events carry `fallback` ({0,0} unless the caller knows better).
 */
export function fromClientEvent(event: ClientRecordedEvent, fallback: Position = { commit: 0n, prepare: 0n }): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    position: event.position ? fromClientPosition(event.position) : fallback,
    data: parseJson(event.data),
    metadata: toMetadata(event.metadata),
    createdAt: event.created,
  };
}

/** Link events are not resolved (resolveLinkTos is off), so `event` is the event itself. */
export function recordedOf(resolved: ResolvedEvent | AllStreamResolvedEvent): ClientRecordedEvent | undefined {
  return resolved.event;
}

/** `$`-prefixed streams (`$stats-…`, `$$order-1`) and types (`$metadata`) belong to the server. */
export function isSystemEvent(event: { streamId: string; type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$');
}
