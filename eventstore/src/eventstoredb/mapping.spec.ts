import { describe, expect, it } from '@jest/globals';
import {
  MaxAppendSizeExceededError,
  StreamNotFoundError as ClientStreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError as ClientWrongExpectedVersionError,
  type JSONRecordedEvent,
} from '@eventstore/db-client';
import { AppendSizeExceededError, StreamNotFoundError, WrongExpectedVersionError } from '../errors.js';
import {
  fromClientError,
  fromClientEvent,
  fromClientPosition,
  isSystemEvent,
  toClientEvent,
  toClientExpectedRevision,
  toClientPosition,
  toReadPosition,
  toReadRevision,
} from './mapping.js';

describe('EventStoreDB mapping', () => {
  it('maps every expected revision to the client constant', () => {
    expect(toClientExpectedRevision('any')).toBe('any');
    expect(toClientExpectedRevision('no_stream')).toBe('no_stream');
    expect(toClientExpectedRevision('stream_exists')).toBe('stream_exists');
    expect(toClientExpectedRevision(7n)).toBe(7n);
  });

  it('round-trips positions and read starts', () => {
    const position = { commit: 1_234n, prepare: 1_200n };
    expect(fromClientPosition(toClientPosition(position))).toEqual(position);
    expect(toReadPosition('start')).toBe('start');
    expect(toReadPosition('end')).toBe('end');
    expect(toReadPosition(position)).toEqual({ commit: 1_234n, prepare: 1_200n });
    expect(toReadRevision(3n)).toBe(3n);
    expect(toReadRevision('end')).toBe('end');
  });

  it("turns the client's WrongExpectedVersionError into ours with the actual revision", () => {
    const clientError = new ClientWrongExpectedVersionError(undefined, { streamName: 'order-1', expected: 2n, current: 5n });
    const error = fromClientError(clientError, { streamId: 'order-1', expected: 2n });
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ streamId: 'order-1', expected: 2n, actual: 5n });
  });

  it('reports no_stream as the actual revision of a missing stream, and the caller\'s expectation', () => {
    const clientError = new ClientWrongExpectedVersionError(undefined, { streamName: 'order-2', expected: 'stream_exists', current: 'no_stream' });
    expect(fromClientError(clientError, { streamId: 'order-2', expected: 'stream_exists' })).toMatchObject({
      name: 'WrongExpectedVersionError', expected: 'stream_exists', actual: 'no_stream',
    });
  });

  it('maps stream-not-found and append-size errors, and passes others through', () => {
    expect(fromClientError(new ClientStreamNotFoundError(undefined, 'order-3'), { streamId: 'order-3' })).toEqual(new StreamNotFoundError('order-3'));
    const tooBig = fromClientError(MaxAppendSizeExceededError.fromMaxAppendSize(1024), { streamId: 'order-4', events: 3, bytes: 2048 });
    expect(tooBig).toBeInstanceOf(AppendSizeExceededError);
    expect(tooBig).toMatchObject({ streamId: 'order-4', events: 3, bytes: 2048 });
    const unavailable = new UnavailableError();
    expect(fromClientError(unavailable, { streamId: 'order-5' })).toBe(unavailable);
  });

  it('writes events as JSON with JSON metadata and the caller\'s id', () => {
    const event = toClientEvent({ id: '6f1c2d4e-0000-4000-8000-000000000001', type: 'OrderPlaced', data: { qty: 3 }, metadata: { causationId: 'c-1' } });
    expect(event).toEqual({
      id: '6f1c2d4e-0000-4000-8000-000000000001', contentType: 'application/json', type: 'OrderPlaced', data: { qty: 3 }, metadata: { causationId: 'c-1' },
    });
    expect(toClientEvent({ id: '6f1c2d4e-0000-4000-8000-000000000002', type: 'OrderCancelled', data: {} }).metadata).toEqual({});
  });

  it('reads recorded events into the port shape', () => {
    const created = new Date('2024-11-24T10:00:00Z');
    const recorded: JSONRecordedEvent = {
      streamId: 'order-1', id: 'e-1', isJson: true, revision: 4n, type: 'OrderFilled', created,
      data: { price: '101.5' }, metadata: { userId: 'u-1' }, position: { commit: 900n, prepare: 880n },
    };
    expect(fromClientEvent(recorded)).toEqual({
      id: 'e-1', type: 'OrderFilled', streamId: 'order-1', revision: 4n, position: { commit: 900n, prepare: 880n },
      data: { price: '101.5' }, metadata: { userId: 'u-1' }, createdAt: created,
    });
  });

  it('parses binary metadata, tolerates none, and falls back when an old server sends no position', () => {
    const recorded: JSONRecordedEvent = {
      streamId: 'order-1', id: 'e-2', isJson: true, revision: 0n, type: 'OrderPlaced', created: new Date(0),
      data: {}, metadata: new TextEncoder().encode('{"a":1}'),
    };
    const event = fromClientEvent(recorded, { commit: 5n, prepare: 5n });
    expect(event.metadata).toEqual({ a: 1 });
    expect(event.position).toEqual({ commit: 5n, prepare: 5n });
    expect(fromClientEvent({ ...recorded, metadata: undefined } as unknown as JSONRecordedEvent).metadata).toEqual({});
  });

  it('recognises system streams and system event types', () => {
    expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: '$statsCollected' })).toBe(true);
    expect(isSystemEvent({ streamId: '$$order-1', type: '$metadata' })).toBe(true);
    expect(isSystemEvent({ streamId: 'order-1', type: '$>' })).toBe(true);
    expect(isSystemEvent({ streamId: 'order-1', type: 'OrderPlaced' })).toBe(false);
  });
});
