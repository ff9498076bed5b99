import { BACKWARDS, FORWARDS, type EventStoreDBClient } from '@eventstore/db-client';
import { comparePositions, type Position, type ReadAllOptions, type RecordedEvent } from '../types.js';
import { eventMatches } from './filters.js';
import { fromClientError, fromClientEvent, toReadPosition } from './mapping.js';

/**
 * The 6.x client's readAll takes no filter, so system events and the caller's filter are applied
 * here, and `maxCount` counts kept events: we stream and cancel once we have enough.
 */
export async function readAllFiltered(client: EventStoreDBClient, options: ReadAllOptions): Promise<RecordedEvent[]> {
  const direction = options.direction ?? 'forwards';
  const from = options.fromPosition ?? (direction === 'forwards' ? 'start' : 'end');
  const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
  const events: RecordedEvent[] = [];
  if (maxCount <= 0) return events;
  const keep = (event: RecordedEvent) => eventMatches(options.filter, event);
  try {
    if (direction === 'backwards' && typeof from === 'object') {
      // The port's start is inclusive; the server reads $all backwards from *before* a position.
      const first = await eventAt(client, from);
      if (first && keep(first)) events.push(first);
    }
    const read = client.readAll({ direction: direction === 'backwards' ? BACKWARDS : FORWARDS, fromPosition: toReadPosition(from) });
    try {
      for await (const resolved of read) {
        if (events.length >= maxCount) break;
        if (!resolved.event) continue;
        const event = fromClientEvent(resolved.event);
        // Whichever way the server treats the boundary, the event at `from` is taken once.
        if (direction === 'backwards' && typeof from === 'object' && comparePositions(event.position, from) >= 0) continue;
        if (keep(event)) events.push(event);
      }
    } finally {
      await read.cancel().catch(() => undefined);
    }
  } catch (error) {
    throw fromClientError(error, { streamId: '$all' });
  }
  return events.slice(0, maxCount);
}

async function eventAt(client: EventStoreDBClient, position: Position): Promise<RecordedEvent | null> {
  for await (const resolved of client.readAll({ direction: FORWARDS, fromPosition: position, maxCount: 1 })) {
    if (resolved.event && comparePositions(resolved.event.position, position) === 0) return fromClientEvent(resolved.event);
  }
  return null;
}
