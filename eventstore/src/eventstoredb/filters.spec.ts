import { describe, expect, it } from '@jest/globals';
import type { RegexFilter } from '@eventstore/db-client';
import { eventMatches, toServerFilter } from './filters.js';

describe('EventStoreDB filters', () => {
  it('sends categories as stream-name prefixes ending in a dash', () => {
    expect(toServerFilter({ streamCategories: ['order', 'fill'], eventTypes: ['OrderPlaced'] })).toMatchObject({
      filterOn: 'streamName', prefixes: ['order-', 'fill-'],
    });
  });

  it('sends event types as an exact, escaped regex', () => {
    const filter = toServerFilter({ eventTypes: ['OrderPlaced', 'Fill.v2'] }) as RegexFilter;
    expect(filter.filterOn).toBe('eventType');
    const regex = new RegExp(filter.regex);
    expect(['OrderPlaced', 'Fill.v2', 'OrderPlacedV2', 'FillXv2'].map((t) => regex.test(t))).toEqual([true, true, false, false]);
  });

  it('excludes system events when nothing else is asked for', () => {
    const filter = toServerFilter(undefined) as RegexFilter;
    expect(filter).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
  });

  it('passes the checkpoint callback to the server filter', () => {
    const seen: bigint[] = [];
    const filter = toServerFilter({ streamCategories: ['order'] }, (_s, position) => void seen.push(position.commit));
    void filter.checkpointReached?.(undefined as never, { commit: 42n, prepare: 42n });
    expect(seen).toEqual([42n]);
  });

  it('re-checks category, type and system events client-side', () => {
    const filter = { streamCategories: ['order'], eventTypes: ['OrderPlaced'] };
    expect(eventMatches(filter, { streamId: 'order-1', type: 'OrderPlaced' })).toBe(true);
    expect(eventMatches(filter, { streamId: 'order-1', type: 'OrderFilled' })).toBe(false);
    expect(eventMatches(filter, { streamId: 'orderbook-1', type: 'OrderPlaced' })).toBe(false);
    expect(eventMatches(undefined, { streamId: '$stats-1', type: 'StatsCollected' })).toBe(false);
    expect(eventMatches(undefined, { streamId: 'signal-9', type: 'SignalReceived' })).toBe(true);
  });
});
