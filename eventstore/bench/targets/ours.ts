import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '../../src/postgres/index.js';
import type { Position, RecordedEvent } from '../../src/types.js';
import type { BenchPayload, BenchTarget } from '../target.js';

export function oursTarget(connectionString: string): BenchTarget {
  const store = new PostgresEventStore({ connectionString });
  return {
    name: 'ours',
    async append(stream, events, expected) {
      const result = await store.appendToStream(
        stream,
        events.map((data) => ({ id: randomUUID(), type: 'OrderPlaced', data })),
        { expectedRevision: expected ?? 'no_stream' },
      );
      return result.nextExpectedRevision;
    },
    async readAll(pageSize) {
      let count = 0;
      let from: Position | 'start' = 'start';
      for (;;) {
        // fromPosition is inclusive: after the first page, the first row repeats the last one seen.
        const page = await store.readAll({ fromPosition: from, maxCount: from === 'start' ? pageSize : pageSize + 1 });
        const fresh: RecordedEvent[] = from === 'start' ? page : page.slice(1);
        count += fresh.length;
        if (!fresh.length) return count;
        from = fresh[fresh.length - 1]!.position;
      }
    },
    async catchUp(total) {
      let count = 0;
      const subscription = store.subscribeToAll({ fromPosition: 'start' });
      for await (const message of subscription) {
        if (message.kind === 'event' && ++count >= total) break;
      }
      await subscription.unsubscribe();
      return count;
    },
    async live(onEvent) {
      const subscription = store.subscribeToAll({ fromPosition: 'end' });
      const iterator = subscription[Symbol.asyncIterator]();
      for (let m = await iterator.next(); !m.done && m.value.kind !== 'caughtUp'; m = await iterator.next()) { /* history */ }
      const pump = (async () => {
        for (let m = await iterator.next(); !m.done; m = await iterator.next()) {
          if (m.value.kind === 'event') onEvent(m.value.event.data as BenchPayload);
        }
      })();
      return async () => { await subscription.unsubscribe(); await pump; };
    },
    close: () => store.close(),
  };
}
