import { DataSource } from 'typeorm';
import { PostgresEventStore, ProjectionRunner, type RecordedEvent } from '#eventstore';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { digestPayload, streamCatalogueProjection } from './stream-catalogue.projection.js';

/**
 * The digest chain is computed in the projection a batch at a time; it must stay the chain that
 * PostgreSQL computed event by event before (sha256 over the previous digest and the payload, as
 * UTF-8), or auditors comparing old and new links would see every stream as altered.
 */
describe('stream catalogue (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let db: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase('stream_catalogue');
    await runMigrations(database.url);
    store = new PostgresEventStore({ connectionString: database.url, subscription: { pollMs: 20 } });
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await store.close();
    await database.drop();
  });

  /** The chain as the old per-event SQL computed it. */
  async function chainInSql(events: RecordedEvent[]): Promise<string> {
    let digest = '';
    for (const event of events) {
      const [row] = await db.query(`select encode(sha256(convert_to($1 || $2, 'UTF8')), 'hex') as d`, [digest, digestPayload(event)]);
      digest = row.d;
    }
    return digest;
  }

  it('keeps per stream the count, span and the same digest chain PostgreSQL computed event by event', async () => {
    const runner = new ProjectionRunner(streamCatalogueProjection, store, db, { retryMs: 50 });
    runner.start();
    const streams = ['audit-α', 'audit-b', 'other-c'];
    // Interleaved, some in one append, non-ASCII data: batches then hold several links of one stream.
    for (let round = 0; round < 5; round++) {
      for (const [i, stream] of streams.entries()) {
        const events = Array.from({ length: i + 1 }, (_, k) => ({ id: crypto.randomUUID(), type: 'Audited', data: { round, k, note: 'größe — 価格 ✓' } }));
        await store.appendToStream(stream, events);
      }
    }
    await waitFor(async () => runner.status().eventsApplied === 5 * (1 + 2 + 3));
    await runner.stop();
    const rows: { stream_id: string; category: string; event_count: number; last_revision: string; digest: string; first_event_at: Date }[] =
      await db.query('select stream_id, category, event_count::int as event_count, last_revision::text as last_revision, digest, first_event_at from stream_catalogue order by stream_id');
    expect(rows.map((r) => [r.stream_id, r.category, r.event_count, r.last_revision])).toEqual([
      ['audit-b', 'audit', 10, '9'], ['audit-α', 'audit', 5, '4'], ['other-c', 'other', 15, '14'],
    ]);
    for (const row of rows) {
      const events = await store.readStream(row.stream_id);
      expect(row.digest).toBe(await chainInSql(events));
      expect(row.first_event_at.getTime()).toBe(events[0].createdAt.getTime());
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
