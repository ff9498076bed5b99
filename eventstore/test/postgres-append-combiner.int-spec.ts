import pg from 'pg';
import { PostgresEventStore, WrongExpectedVersionError, type AppendResult } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { runMigrations } from '../../test/support/migrate.js';
import { event, events, newStream } from './contract/fixtures.js';

/**
 * Appends made while one is in flight go out together in one transaction. Each test holds the
 * first append on a table lock taken by another connection, queues the appends under test behind
 * it, then lets go: they leave as one batch, which the shared tx id (position.commit) proves.
 * A table lock, not a row lock: it takes no transaction id, so it does not hold back what other
 * suites' subscriptions may read (the settled rule looks at every transaction in the cluster).
 */
describe('PostgreSQL append combining', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase('es_combiner');
    await runMigrations(db.url);
    store = new PostgresEventStore({ connectionString: db.url });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  /** Runs `queue` while an append is stuck in flight; resolves with its settled outcomes once released. */
  async function combined<T>(queue: () => Promise<T>[]): Promise<PromiseSettledResult<T>[]> {
    const held = newStream('held');
    await store.appendToStream(held, [event()]);
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('begin');
      await blocker.query('lock table event_streams in exclusive mode');
      const first = store.appendToStream(held, [event()]);
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
    const outcomes = await combined(() => streams.map((s) => store.appendToStream(s, events(2), { expectedRevision: 'no_stream' })));
    const results = fulfilled(outcomes);
    expect(results).toHaveLength(5);
    expect(new Set(results.map((r) => r.position.commit)).size).toBe(1);
    expect(new Set(results.map((r) => r.position.prepare)).size).toBe(5);
    for (const [i, s] of streams.entries()) {
      const stored = await store.readStream(s);
      expect(stored.map((e) => e.revision)).toEqual([0n, 1n]);
      expect(stored[1].position).toEqual(results[i].position);
    }
  });

  it('of two appends to one stream at one expected revision in one batch, the first made wins', async () => {
    const stream = newStream();
    await store.appendToStream(stream, [event()]);
    const [a, b] = [event('OrderPlaced', { who: 'a' }), event('OrderPlaced', { who: 'b' })];
    const outcomes = await combined(() => [a, b].map((e) => store.appendToStream(stream, [e], { expectedRevision: 0n })));
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 1n } });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedVersionError', expected: 0n, actual: 1n } });
    expect((await store.readStream(stream)).map((e) => e.data)).toEqual([{}, { who: 'a' }]);
  });

  it('applies appends to one stream in the order made, each checked against the revision the earlier ones left', async () => {
    const stream = newStream();
    const outcomes = await combined(() => [
      store.appendToStream(stream, [event()], { expectedRevision: 'no_stream' }),
      store.appendToStream(stream, events(2), { expectedRevision: 0n }),
      store.appendToStream(stream, [event()], { expectedRevision: 'stream_exists' }),
      store.appendToStream(stream, [event()], { expectedRevision: 3n }),
    ]);
    expect(fulfilled(outcomes).map((r) => r.nextExpectedRevision)).toEqual([0n, 2n, 3n, 4n]);
    expect(new Set(fulfilled(outcomes).map((r) => r.position.commit)).size).toBe(1);
  });

  it('a refused append does not fail the others in its batch, and writes nothing', async () => {
    const [before, conflicted, after, missing] = [newStream(), newStream(), newStream(), newStream()];
    await store.appendToStream(conflicted, events(3));
    const outcomes = await combined(() => [
      store.appendToStream(before, [event()], { expectedRevision: 'no_stream' }),
      store.appendToStream(conflicted, [event()], { expectedRevision: 0n }),
      store.appendToStream(missing, [event()], { expectedRevision: 'stream_exists' }),
      store.appendToStream(after, [event()], { expectedRevision: 'any' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: { actual: 2n } });
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
    expect((outcomes[2] as PromiseRejectedResult).reason).toMatchObject({ actual: 'no_stream' });
    expect(await store.readStream(conflicted)).toHaveLength(3);
    await expect(store.readStream(missing)).rejects.toMatchObject({ name: 'StreamNotFoundError' });
    // The stream row the batch created for the refused append is gone: 'no_stream' still holds.
    await expect(store.appendToStream(missing, [event()], { expectedRevision: 'no_stream' })).resolves.toMatchObject({ nextExpectedRevision: 0n });
  });

  it('re-appending the same events inside one batch is an idempotent success with the original result', async () => {
    const stream = newStream();
    const batch = events(3);
    const outcomes = await combined(() => [
      store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }),
      store.appendToStream(stream, batch, { expectedRevision: 'no_stream' }),
      store.appendToStream(stream, [batch[1], event()], { expectedRevision: 2n }),
    ]);
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled', value: { nextExpectedRevision: 2n } });
    expect(outcomes[1]).toEqual(outcomes[0]);
    expect(outcomes[2]).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedVersionError', actual: 2n } });
    expect(await store.readStream(stream)).toHaveLength(3);
  });

  it('an append the server refuses outright fails alone; the rest of its batch still commits', async () => {
    const [good, bad, alsoGood] = [newStream(), newStream(), newStream()];
    const outcomes = await combined(() => [
      store.appendToStream(good, [event()]),
      // jsonb has no NUL character: PostgreSQL rejects the whole statement.
      store.appendToStream(bad, [event('OrderPlaced', { note: 'nul \u0000 here' })]),
      store.appendToStream(alsoGood, [event()]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: { code: '22P05' } });
    await expect(store.readStream(bad)).rejects.toMatchObject({ name: 'StreamNotFoundError' });
    expect(await store.readStream(alsoGood)).toHaveLength(1);
  });
});
