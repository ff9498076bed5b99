import pg from 'pg';
import { PostgresEventStore, type RecordedEvent } from '../src/index.js';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { delay, event } from './contract/fixtures.js';

/**
 * An unrelated open write transaction (a projection batch, say) hides newer appends from
 * subscribers until it commits. No append announces that moment, so the subscription must look
 * again on its own within milliseconds, not at the next poll.
 */
describe('PostgreSQL subscription behind an open transaction', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase('settle');
    await runMigrations(db.url);
    store = new PostgresEventStore({ connectionString: db.url, subscription: { pollMs: 30_000 } });
  });
  afterAll(async () => {
    await store.close();
    await db.drop();
  });

  it('delivers an append held back by an older transaction soon after that transaction commits', async () => {
    const subscription = store.subscribeToAll({ filter: { streamCategories: ['settle'] } });
    const received: RecordedEvent[] = [];
    const consumed = (async () => {
      for await (const m of subscription) if (m.kind === 'event' && received.push(m.event) === 1) break;
    })();
    await delay(100);
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('create temporary table holds_an_xid (x int)');
    await store.appendToStream('settle-1', [event()]);
    await delay(200);
    expect(received).toHaveLength(0);
    const committedAt = Date.now();
    await blocker.query('commit');
    // Well under the 30 s poll interval; generous because other transactions on a shared server
    // (parallel suites) also hold the event back until they finish.
    await Promise.race([consumed, delay(15_000)]);
    await subscription.unsubscribe();
    await blocker.end();
    expect(received).toHaveLength(1);
    expect(Date.now() - committedAt).toBeLessThan(15_000);
  });
});
