import { BACKWARDS, END, StreamNotFoundError, type EventStoreDBClient } from '@eventstore/db-client';
import { comparePositions, type Position } from '../types.js';
import type { PulledItem, PulledSubscription } from './pulled-subscription.js';

/**
 * Servers before 23.10 never send `caughtUp`. For them we read the head of the log (or stream)
 * when subscribing and report caught-up once the subscription delivers it. On 23.10+ the server's
 * own signal usually arrives first; whichever comes first wins, and either is a correct point.
 * A filtered $all subscription only sees the head through the server's filter checkpoints, so on
 * an old server it may report caught-up late (at the next checkpoint after the head).
 */
export async function watchAllHead(
  client: EventStoreDBClient,
  subscription: PulledSubscription<unknown>,
  from: Position | 'start' | 'end',
): Promise<Position | null> {
  let head: Position | null = null;
  for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
    head = resolved.event?.position ?? null;
  }
  const past = (position: Position | null) => head === null || (position !== null && comparePositions(position, head) >= 0);
  subscription.watchHead((item) => past(item.position), from === 'end' || head === null || (from !== 'start' && past(from)));
  return head;
}

export async function watchStreamHead(
  client: EventStoreDBClient,
  subscription: PulledSubscription<unknown>,
  streamId: string,
  from: bigint | 'start' | 'end',
): Promise<void> {
  let head: bigint | null = null;
  try {
    for await (const resolved of client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 })) {
      head = resolved.event?.revision ?? null;
    }
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  const past = (revision: bigint | null) => head === null || (revision !== null && revision >= head);
  subscription.watchHead((item: PulledItem) => past(item.revision), from === 'end' || head === null || (from !== 'start' && past(from)));
}
