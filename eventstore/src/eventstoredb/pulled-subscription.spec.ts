import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import type { AllStreamResolvedEvent } from '@eventstore/db-client';
import { comparePositions, type Position, type SubscriptionMessage } from '../types.js';
import { eventMatches } from './filters.js';
import { caughtUpResp, checkpointResp, eventResp, fakeClientSubscription } from './grpc-fixtures.js';
import { fromClientEvent } from './mapping.js';
import { PulledSubscription, type PulledItem } from './pulled-subscription.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const order = (n: number, position: bigint) => eventResp({ id: id(n), streamId: `order-${n}`, revision: 0n, type: 'OrderPlaced', position, data: { n } });

function convert(resolved: AllStreamResolvedEvent): PulledItem {
  if (!resolved.event) return { event: null, position: null, revision: null };
  const event = fromClientEvent(resolved.event);
  return { event: eventMatches(undefined, event) ? event : null, position: event.position, revision: event.revision };
}

function adapt(checkpoints = false) {
  let pulled: PulledSubscription<AllStreamResolvedEvent> | null = null;
  const fake = fakeClientSubscription(checkpoints ? (_s, p) => pulled?.checkpoint(p) : undefined);
  pulled = new PulledSubscription<AllStreamResolvedEvent>(fake.subscription, convert, (e) => e, null);
  return { ...fake, pulled };
}

const describeMessage = (m: SubscriptionMessage) => (m.kind === 'event' ? `event ${String((m.event.data as { n: number }).n)}` : `caughtUp@${String(m.position?.commit)}`);

async function take(iterator: AsyncIterator<SubscriptionMessage>, count: number): Promise<string[]> {
  const seen: string[] = [];
  while (seen.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(describeMessage(next.value));
  }
  return seen;
}

describe('PulledSubscription over the client Subscription', () => {
  it('places the server caughtUp after the history it followed, even when the consumer lags', async () => {
    const { send, pulled } = adapt();
    send(order(1, 100n), order(2, 200n), caughtUpResp(), order(3, 300n));
    await tick();
    await tick();
    const iterator = pulled[Symbol.asyncIterator]();
    expect(await take(iterator, 4)).toEqual(['event 1', 'event 2', 'caughtUp@200', 'event 3']);
    await pulled.unsubscribe();
  });

  it('waits for live events after caught up and reports caughtUp once', async () => {
    const { send, pulled } = adapt();
    const iterator = pulled[Symbol.asyncIterator]();
    const first = take(iterator, 2);
    send(caughtUpResp());
    await tick();
    send(order(1, 100n), caughtUpResp());
    expect(await first).toEqual(['caughtUp@undefined', 'event 1']);
    send(order(2, 200n));
    expect(await take(iterator, 1)).toEqual(['event 2']);
    await pulled.unsubscribe();
  });

  it('drops system events but still counts their positions', async () => {
    const { send, pulled } = adapt();
    send(order(1, 100n), eventResp({ id: id(9), streamId: '$stats-node', revision: 3n, type: '$statsCollected', position: 150n }), caughtUpResp(), order(2, 200n));
    const iterator = pulled[Symbol.asyncIterator]();
    expect(await take(iterator, 3)).toEqual(['event 1', 'caughtUp@150', 'event 2']);
    await pulled.unsubscribe();
  });

  it('falls back to the head read at subscribe time when the server never says caughtUp', async () => {
    const { send, pulled } = adapt();
    const head: Position = { commit: 200n, prepare: 200n };
    pulled.watchHead((item) => item.position !== null && comparePositions(item.position, head) >= 0, false);
    send(order(1, 100n), order(2, 200n), order(3, 300n));
    expect(await take(pulled[Symbol.asyncIterator](), 4)).toEqual(['event 1', 'event 2', 'caughtUp@200', 'event 3']);
    await pulled.unsubscribe();
  });

  it('uses filter checkpoints to pass a head that the filter hides', async () => {
    const { send, pulled } = adapt(true);
    pulled.watchHead((item) => item.position !== null && item.position.commit >= 500n, false);
    send(order(1, 100n), checkpointResp(600n), order(2, 700n));
    expect(await take(pulled[Symbol.asyncIterator](), 3)).toEqual(['event 1', 'caughtUp@100', 'event 2']);
    await pulled.unsubscribe();
  });

  it('reports caughtUp first when the start is already at the head', async () => {
    const { send, pulled } = adapt();
    pulled.watchHead(() => false, true);
    send(order(1, 100n));
    expect(await take(pulled[Symbol.asyncIterator](), 2)).toEqual(['caughtUp@undefined', 'event 1']);
    await pulled.unsubscribe();
  });

  it('ends a waiting iteration on unsubscribe and cancels the gRPC call', async () => {
    const { grpc, pulled } = adapt();
    const iterator = pulled[Symbol.asyncIterator]();
    const pending = iterator.next();
    await pulled.unsubscribe();
    expect(await pending).toEqual({ done: true, value: undefined });
    await tick();
    expect(grpc.cancelled).toBe(true);
  });

  it('keeps at most a bounded number of events buffered while nobody reads', async () => {
    const { send, subscription } = adapt();
    send(...Array.from({ length: 200 }, (_, i) => order(i, BigInt(i + 1) * 10n)));
    await tick();
    await tick();
    expect(subscription.readableLength).toBeLessThanOrEqual(subscription.readableHighWaterMark);
    await subscription.unsubscribe();
  });
});
