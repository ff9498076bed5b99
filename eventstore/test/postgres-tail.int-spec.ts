import pg from 'pg';
import { PostgresEventStore, type RecordedEvent, type Subscription } from '../src/index.js';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { LogTail } from '../src/postgres/log-tail.js';
import { delay, event } from './contract/fixtures.js';

/** Counts the statements that read the events table, whoever sends them. */
function countingPool(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const counts = { eventReads: 0 };
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: unknown }).query = (...args: unknown[]) => {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text;
    if (/^select .* from events/s.test(text)) counts.eventReads++;
    return query(...args);
  };
  return { pool, counts };
}

/** Collects events until `until` says stop (checked after each), or the time runs out. */
function consume(subscription: Subscription, until: (received: RecordedEvent[]) => boolean, timeoutMs = 15_000) {
  const received: RecordedEvent[] = [];
  const done = (async () => {
    for await (const m of subscription) {
      if (m.kind === 'event') received.push(m.event);
      if (until(received)) break;
    }
  })();
  return { received, done: Promise.race([done, delay(timeoutMs)]).then(() => subscription.unsubscribe()).then(() => received) };
}

const ids = (events: RecordedEvent[]) => events.map((e) => e.id);

/**
 * Every live subscribeToAll of a store reads from one shared tail of the settled log instead of
 * polling the table on its own: same deliveries, a fraction of the reads.
 */
describe('PostgreSQL shared log tail', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('tail');
    await runMigrations(db.url);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('serves fifteen filtered subscriptions in order, each exactly its events, with a fraction of the reads', async () => {
    const { pool, counts } = countingPool(db.url);
    const store = new PostgresEventStore({ pool, subscription: { pollMs: 30_000 } });
    const categories = ['tailA', 'tailB', 'tailC'];
    const subscriptions = Array.from({ length: 15 }, (_, i) => store.subscribeToAll({ fromPosition: 'end', filter: { streamCategories: [categories[i % 3]] } }));
    const appended: Record<string, string[]> = { tailA: [], tailB: [], tailC: [] };
    const perCategory = 40;
    const runs = subscriptions.map((s) => consume(s, (r) => r.length === perCategory));
    await delay(200); // every subscription has resolved its start at the end of the log
    const readsBefore = counts.eventReads;
    for (let i = 0; i < perCategory; i++) {
      for (const category of categories) {
        const e = event('TailEvent', { i });
        appended[category].push(e.id);
        await store.appendToStream(`${category}-${i % 4}`, [e]);
      }
    }
    const results = await Promise.all(runs.map((r) => r.done));
    results.forEach((received, i) => expect(ids(received)).toEqual(appended[categories[i % 3]]));
    const appends = perCategory * categories.length;
    // Each subscription polling on its own read the table at least once per append: 15 × 120 = 1,800.
    expect(counts.eventReads - readsBefore).toBeLessThan(appends * 3);
    await store.close();
    await pool.end();
  });

  it('lets a subscription further behind than the buffer catch up from the table, then join the tail without loss or duplicates', async () => {
    const store = new PostgresEventStore({ connectionString: db.url, subscription: { pollMs: 30_000, batchSize: 25 }, tail: { capacity: 30, pageSize: 25 } });
    const history = Array.from({ length: 120 }, (_, i) => event('Behind', { i }));
    for (let i = 0; i < history.length; i += 10) await store.appendToStream(`behind-${i}`, history.slice(i, i + 10));
    // A live subscriber keeps the tail moving (and trimming) ahead of the late one.
    const live = consume(store.subscribeToAll({ fromPosition: 'end', filter: { streamCategories: ['behind'] } }), (r) => r.length === 60);
    await delay(100);
    const late = store.subscribeToAll({ filter: { streamCategories: ['behind'] } });
    const lateRun = consume(late, (r) => r.length === 180);
    const more = Array.from({ length: 60 }, (_, i) => event('Behind', { i: 120 + i }));
    for (const e of more) await store.appendToStream('behind-live', [e]);
    expect(ids(await lateRun.done)).toEqual([...history, ...more].map((e) => e.id));
    expect(ids(await live.done)).toEqual(more.map((e) => e.id));
    await store.close();
  });

  it('keeps in memory only what a live reader has not read yet', async () => {
    const store = new PostgresEventStore({ connectionString: db.url });
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const tail = new LogTail(pool, { pageSize: 1000, capacity: 10_000 });
    await tail.refreshed();
    const start = tail.knownHead!.position;
    for (let i = 0; i < 1200; i += 100) await store.appendToStream('kept-1', Array.from({ length: 100 }, (_, j) => event('Kept', { i: i + j })));
    const [ahead, behind] = [{}, {}];
    tail.noteReader(behind, start);
    let cursor = start;
    for (let read = 0; read < 1200;) {
      const page = (await tail.read(cursor, 1000, () => true))!;
      read += page.events.length;
      cursor = page.cursor;
      tail.noteReader(ahead, cursor);
    }
    await store.appendToStream('kept-1', [event('Kept', { i: 1200 })]);
    await tail.refreshed();
    expect(tail.size).toBe(1201); // the reader still at the start holds everything
    tail.noteReader(behind, cursor);
    await store.appendToStream('kept-1', [event('Kept', { i: 1201 })]);
    await tail.refreshed();
    expect(tail.size).toBe(2); // both have read the first 1,200: the two appended since are left
    // A reader that lags holds the buffer no further than its capacity.
    const small = new LogTail(pool, { pageSize: 1000, capacity: 40 });
    await small.refreshed();
    small.noteReader({}, small.knownHead!.position);
    await store.appendToStream('kept-1', Array.from({ length: 60 }, (_, i) => event('Kept', { i: 1202 + i })));
    await small.refreshed();
    expect(small.size).toBe(40);
    await pool.end();
    await store.close();
  });

  it('delivers a rare category among many other events, and nothing of it twice, across page boundaries', async () => {
    const store = new PostgresEventStore({ connectionString: db.url, subscription: { pollMs: 30_000, batchSize: 7 }, tail: { pageSize: 7 } });
    const rare: string[] = [];
    const run = consume(store.subscribeToAll({ fromPosition: 'end', filter: { streamCategories: ['rare'], eventTypes: ['Wanted'] } }), (r) => r.length === 10);
    await delay(100);
    for (let i = 0; i < 200; i++) {
      const wanted = i % 20 === 19;
      if (wanted) {
        const e = event('Wanted', { i });
        rare.push(e.id);
        await store.appendToStream('rare-1', [e]);
      } else if (i % 2) {
        await store.appendToStream('rare-1', [event('Noise', { i })]); // right category, wrong type
      } else {
        await store.appendToStream('common-1', [event('Wanted', { i })]); // right type, wrong category
      }
    }
    expect(ids(await run.done)).toEqual(rare);
    await store.close();
  });
});
