import pg from 'pg';
import { WrongExpectedVersionError, type AppendResult } from '../src/index.js';
import { useEventStore } from '../../test/support/event-store.js';
import { event, events, newStream } from './contract/fixtures.js';

/**
 * Appends made while one is in flight go out together in one transaction. Each test holds the
 * first append on a table lock taken by another connection, queues the appends under test behind
 * it, then lets go: they leave as one batch, which the shared tx id (position.commit) proves.
 * A table lock, not a row lock: it takes no transaction id, so it does not hold back what other
 * suites' subscriptions may read (the settled rule looks at every transaction in the cluster).
 */
describe('PostgreSQL append combining', () => {
  const suite = useEventStore('es_combiner');

  /** Runs `queue` while an append is stuck in flight; resolves with its settled outcomes once released. */
  async function combined<T>(queue: () => Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
    const held = newStream('held');
    await suite.store.appendToStream(held, [event()]);
    const blocker = new pg.Client({ connectionString: suite.db.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table event_streams in exclusive mode');
      const first = suite.store.appendToStream(held, [event()]);
      const queued = queue();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await blocker.query('commit');
      await first;
      return await Promise.allSettled(queued);
    } finally {
      await blocker.end();
    }
  }

  const fulfilled = (outcomes: PromiseSettledResult<AppendResult>[]) =>
    outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));

  it('appends to different streams made while one is in flight commit together, each with its own result', async () => {
    const streams = Array.from({ length: 5 }, () => newStream());
    const outcomes = await combined(() => streams.map((s) => suite.store.appendToStream(s, events(2), { expectedRevision: 'no_stream' })));
    const results = fulfilled(outcomes);
    expect(results).toHaveLength(5);
    expect(new Set(results.map((r) => r.position.commit)).size).toBe(1);
    expect(new Set(results.map((r) => r.position.prepare)).size).toBe(5);
    for (const [i, s] of streams.entries()) {
      const stored = await suite.store.readStream(s);
      expect(stored.map((e) => e.revision)).toEqual([0n, 1n]);
      expect(stored[1].position).toEqual(results[i].position);
    }
  });

  it('of two appends to one stream at one expected revision in one batch, the first made wins', async () => {
    const stream = newStream();
    await suite.store.appendToStream(stream, [event()]);
    const [a, b] = [event('OrderPlaced', { who: 'a' }), event('OrderPlaced', { who: 'b' })];
    const outcomes = await combined(() => [a, b].map((e) => suite.store.appendToStream(stream, [e], { expectedRevision: 0n })));
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1n } });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedVersionError', expected: 0n, actual: 1n } });
    expect((await suite.store.readStream(stream)).map((e) => e.data)).toEqual([{}, { who: 'a' }]);
  });

  it('applies appends to one stream in the order made, each checked against the revision the earlier ones left', async () => {
    const stream = newStream();
    const outcomes = await combined(() => [
      suite.store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' }),
      suite.store.appendToStream(stream, events(2), { expectedRevision: 0n }),
      suite.store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' }),
      suite.store.appendToStream(stream, [event()], { expectedRevision: 3n }),
    ]);
    expect(fulfilled(outcomes).map((r) => r.nextExpectedRevision)).toEqual([0n, 2n, 3n, 4n]);
    expect(new Set(fulfilled(outcomes).map((r) => r.position.commit)).size).toBe(1);
  });

  it('a refused append does not fail the others in its batch, and writes nothing', async () => {
    const [before, conflicted, after, missing] = [newStream(), newStream(), newStream(), newStream()];
    await suite.store.appendToStream(conflicted, events(3));
    const outcomes = await combined(() => [
      suite.store.appendToStream(before, [event()], { expectedRevision: 'no_stream' }),
      suite.store.appendToStream(conflicted, [event()], { expectedRevision: 0n }),
      suite.store.appendToStream(missing, [event()], { expectedRevision: 'stream_exists' }),
      suite.store.appendToStream(after, [event()], { expectedRevision: 'any' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: { actual: 2n } });
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ actual: 'no_stream' });
    expect(await suite.store.readStream(conflicted)).toHaveLength(3);
    await expect(suite.store.readStream(missing)).rejects.toMatchObject({ name: 'StreamNotFoundError' });
    // The stream row the batch created for the refused append is gone: 'no_stream' still holds.
    await expect(suite.store.appendToStream(missing, [event()], { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 0n });
  });

  it('re-appending the same events inside one batch is an idempotent success with the original result', async () => {
    const stream = newStream();
    const batch = events(3);
    const outcomes = await combined(() => [
      suite.store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }),
      suite.store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }),
      suite.store.appendToStream(stream, [batch[1], event()], { expectedRevision: 2n }),
    ]);
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 2n } });
    expect(outcomes[1]).toEqual({ status: 'fulfilled', value: { ...(outcomes[0] as PromiseFulfilledResult<object>).value, duplicate: true } });
    expect(outcomes[2]).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedVersionError', actual: 2n } });
    expect(await suite.store.readStream(stream)).toHaveLength(3);
  });

  it('an append the server refuses outright fails alone; the rest of its batch still commits', async () => {
    const [good, bad, alsoGood] = [newStream(), newStream(), newStream()];
    const outcomes = await combined(() => [
      suite.store.appendToStream(good, [event()]),
      // jsonb has no NUL character: PostgreSQL rejects the whole statement.
      suite.store.appendToStream(bad, [event('OrderPlaced', { note: 'nul \u0000 here' })]),
      suite.store.appendToStream(alsoGood, [event()]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: { code: '22P05' } });
    await expect(suite.store.readStream(bad)).rejects.toMatchObject({ name: 'StreamNotFoundError' });
    expect(await suite.store.readStream(alsoGood)).toHaveLength(1);
  });
});
