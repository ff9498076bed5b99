import { dumbo, rawSql, single } from '@event-driven-io/dumbo';
import { STREAM_DOES_NOT_EXIST, type Event } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore, messagesTable, postgreSQLEventStoreMessageBatchPuller, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import type { BenchPayload, BenchTarget } from '../target.js';

/**
 * Emmett's catch-up and live delivery use its message batch puller, the primitive under its
 * consumers, without the per-message checkpoint write a reactor adds, and with its knobs at their
 * most favourable: batches as large as ours (1000, default 100) and 1 ms between full batches
 * (default 50). Its idle back-off (100 ms doubling to 1 s) is not configurable.
 */
export const EMMETT_PULLING = { batchSize: 1000, pullingFrequencyInMs: 1 };

type OrderPlaced = Event<'OrderPlaced', BenchPayload>;

export async function emmettTarget(connectionString: string): Promise<BenchTarget> {
  const store = getPostgreSQLEventStore(connectionString);
  await store.schema.migrate();
  const pool = dumbo({ connectionString });
  return {
    name: 'emmett',
    async append(stream, events, expected) {
      const result = await store.appendToStream<OrderPlaced>(
        stream,
        events.map((data) => ({ type: 'OrderPlaced', data })),
        { expectedStreamVersion: expected ?? STREAM_DOES_NOT_EXIST },
      );
      return result.nextExpectedStreamVersion;
    },
    async readAll(pageSize) {
      let count = 0;
      let after = 0n;
      for (;;) {
        const batch = await readMessagesBatch(pool.execute, { after, batchSize: pageSize });
        count += batch.messages.length;
        if (!batch.messages.length) return count;
        after = batch.currentGlobalPosition;
      }
    },
    async catchUp(total) {
      let count = 0;
      const puller = postgreSQLEventStoreMessageBatchPuller({
        executor: pool.execute,
        signal: new AbortController().signal,
        ...EMMETT_PULLING,
        // Stops at the end of the log too: events it skipped would otherwise never bring it to `total`.
        stopWhen: { noMessagesLeft: true },
        eachBatch: async (messages): Promise<{ type: 'STOP' } | undefined> => {
          count += messages.length;
          return count >= total ? { type: 'STOP' } : undefined;
        },
      });
      await puller.start({ startFrom: 'BEGINNING' });
      return count;
    },
    async live(onEvent) {
      const puller = postgreSQLEventStoreMessageBatchPuller({
        executor: pool.execute,
        signal: new AbortController().signal,
        ...EMMETT_PULLING,
        eachBatch: async (messages) => {
          for (const message of messages) onEvent(message.data as unknown as BenchPayload);
          return undefined;
        },
      });
      // Not startFrom 'END': in 0.42 its "last position" query sorts ascending and returns the
      // first message, so 'END' replays the whole log. We pass the real end as a checkpoint.
      const { end } = await single(pool.execute.query<{ end: string }>(rawSql(`select coalesce(max(global_position), 0)::text as end from ${messagesTable.name}`)));
      const running = puller.start({ startFrom: { lastCheckpoint: BigInt(end) } });
      // The puller reads the end position before its first poll; give it that round trip.
      await new Promise((resolve) => setTimeout(resolve, 200));
      return async () => { await puller.stop(); await running; };
    },
    async close() {
      await pool.close();
      await store.close();
    },
  };
}
