import { DataSource, type EntityManager } from 'typeorm';
import { asSaga, PostgresEventStore, ProjectionRunner, rebuildProjection, type Projection, type RecordedEvent } from '../src/index.js';
import { streamCatalogueProjection } from '../../projections/stream-catalogue/index.js';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { delay, events } from './contract/fixtures.js';

const catalogue = (db: DataSource) =>
  db.query('select stream_id, event_count::int as count, last_revision::int as last, digest from stream_catalogue order by stream_id');

async function until(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await delay(20);
  }
}

describe('projection runner (PostgreSQL)', () => {
  let database: TestDatabase;
  let store: PostgresEventStore;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('runner');
    await runMigrations(database.url);
    store = new PostgresEventStore({ connectionString: database.url, subscription: { pollMs: 50 } });
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
  });
  afterAll(async () => {
    await db.destroy();
    await store.close();
    await database.drop();
  });

  it('applies history then live events once each, and a rebuild from zero gives identical rows', async () => {
    for (let i = 0; i < 20; i++) await store.appendToStream(`order-${i % 5}`, events(3));
    const runner = new ProjectionRunner(streamCatalogueProjection, store, db);
    runner.start();
    await runner.waitUntilLive();
    await store.appendToStream('account-1', events(4));
    await until(() => runner.status().eventsApplied === 64);
    const live = await catalogue(db);
    expect(live).toHaveLength(6);
    expect(live.find((r: { stream_id: string }) => r.stream_id === 'order-0')).toMatchObject({ count: 12, last: 11 });
    expect(live.find((r: { stream_id: string }) => r.stream_id === 'account-1')).toMatchObject({ count: 4, last: 3 });

    const rebuilt = await rebuildProjection(streamCatalogueProjection, store, db);
    expect(rebuilt.eventsApplied).toBe(64);
    await until(() => runner.status().state === 'live' && runner.status().eventsApplied === 64);
    expect(await catalogue(db)).toEqual(live);
    await runner.stop();
  });

  it('runs once per cluster: a second runner stands by and takes over when the first stops', async () => {
    const counting: Projection = {
      name: 'counting',
      handles: ['Counted'],
      tables: [],
      apply: async (_e: RecordedEvent, tx: EntityManager) => void (await tx.query(`update projection_checkpoints set updated_at = now() where name = 'never'`)),
    };
    const [first, second] = [new ProjectionRunner(counting, store, db, { retryMs: 50 }), new ProjectionRunner(counting, store, db, { retryMs: 50 })];
    first.start();
    await first.waitUntilLive();
    second.start();
    await store.appendToStream('tally-1', events(10, 'Counted'));
    await until(() => first.status().eventsApplied === 10);
    expect(second.status().state).toBe('standby');
    await first.stop();
    await store.appendToStream('tally-1', events(5, 'Counted'));
    await until(() => second.status().eventsApplied === 15);
    const [{ applied }] = await db.query(`select events_applied::int as applied from projection_checkpoints where name = 'counting'`);
    expect(applied).toBe(15);
    await second.stop();
  });

  it('retries a failing event from its checkpoint without applying anything twice', async () => {
    let failuresLeft = 2;
    await db.query('create table if not exists seen_events (event_id uuid primary key)');
    const flaky: Projection = {
      name: 'flaky',
      handles: ['Flaky'],
      tables: ['seen_events'],
      async apply(event, tx) {
        await tx.query('insert into seen_events (event_id) values ($1)', [event.id]); // a duplicate would violate the key
        if ((event.data as { i: number }).i === 3 && failuresLeft-- > 0) throw new Error('projection bug');
      },
    };
    const runner = new ProjectionRunner(flaky, store, db, { retryMs: 30, batchSize: 2 });
    runner.start();
    await store.appendToStream('flaky-1', events(6, 'Flaky'));
    await until(() => runner.status().eventsApplied === 6);
    const [{ n }] = await db.query('select count(*)::int as n from seen_events');
    expect(n).toBe(6);
    expect(failuresLeft).toBe(-1);
    await runner.stop();
  });

  it('commits batches without waiting for their WAL flush, projections and sagas alike (their input is already durable)', async () => {
    const settings: string[] = [];
    const observer = (name: string): Projection => ({
      name,
      handles: ['Observed'],
      tables: [],
      async apply(_event, tx) {
        const [row] = await tx.query(`select current_setting('synchronous_commit') as s`);
        settings.push(`${name}:${row.s}`);
      },
    });
    const projection = new ProjectionRunner(observer('observer'), store, db, { retryMs: 30 });
    const saga = new ProjectionRunner(asSaga(observer('observer-saga')), store, db, { retryMs: 30 });
    projection.start();
    saga.start();
    await store.appendToStream('observed-1', events(1, 'Observed'));
    await until(() => projection.status().eventsApplied === 1 && saga.status().eventsApplied === 1);
    // A projection locks its checkpoint first, so it is off while it applies; a saga sets it in its closing statement.
    expect(settings).toContain('observer:off');
    const [{ s }] = await db.query(`select current_setting('synchronous_commit') as s`);
    expect(s).toBe('on'); // only the batch's own transaction
    await Promise.all([projection.stop(), saga.stop()]);
  });

  it('applies a batch through applyBatch: a failure rolls back its rows and checkpoint, and the redelivered batch applies once', async () => {
    await db.query('create table batch_rows (event_id uuid primary key, call int not null)');
    let calls = 0;
    let failedCall = 0;
    const batched: Projection = {
      name: 'batched',
      handles: ['Batched'],
      tables: ['batch_rows'],
      apply: () => Promise.reject(new Error('apply is not used when applyBatch is given')),
      async applyBatch(batch, tx) {
        calls++;
        for (const e of batch) await tx.query('insert into batch_rows (event_id, call) values ($1, $2)', [e.id, calls]); // a duplicate violates the key
        if (!failedCall && batch.length > 1) {
          failedCall = calls;
          throw new Error('fails after writing its rows');
        }
      },
    };
    await store.appendToStream('batched-1', events(8, 'Batched'));
    const runner = new ProjectionRunner(batched, store, db, { retryMs: 30, batchSize: 8 });
    runner.start();
    await until(() => runner.status().eventsApplied === 8);
    await runner.stop();

    expect(failedCall).toBeGreaterThan(0);
    const rows: { call: number }[] = await db.query('select call from batch_rows');
    // Every event once, none from the failed call: its rows went with its rollback and a later call wrote them.
    expect(rows).toHaveLength(8);
    expect(rows.filter((r) => r.call === failedCall)).toEqual([]);
    expect(await db.query(`select events_applied::int as n from projection_checkpoints where name = 'batched'`)).toEqual([{ n: 8 }]);
  });

  it('a saga whose checkpoint moved while it acted rolls its batch back and redoes it from the stored checkpoint', async () => {
    await db.query('create table saga_rows (event_id uuid primary key)');
    let moved = false;
    let delivered = 0;
    let firstBatch = 0;
    const saga = asSaga({
      name: 'moving',
      handles: ['Moving'],
      tables: [],
      apply: () => Promise.reject(new Error('unused')),
      async applyBatch(batch, tx) {
        delivered += batch.length;
        for (const e of batch) await tx.query('insert into saga_rows (event_id) values ($1)', [e.id]);
        // A rebuild (or a second runner) moves the checkpoint while this batch is still acting.
        if (!moved) {
          moved = true;
          firstBatch = batch.length;
          await db.query(`update projection_checkpoints set generation = generation + 1 where name = 'moving'`);
        }
      },
    });
    await store.appendToStream('moving-1', events(5, 'Moving'));
    const runner = new ProjectionRunner(saga, store, db, { retryMs: 30 });
    runner.start();
    await until(() => runner.status().eventsApplied === 5);
    await runner.stop();
    // The first batch was refused at its closing checkpoint update and delivered again in full.
    expect(firstBatch).toBeGreaterThan(0);
    expect(delivered).toBe(5 + firstBatch);
    expect(await db.query('select count(*)::int as n from saga_rows')).toEqual([{ n: 5 }]);
    expect(await db.query(`select events_applied::int as n, generation from projection_checkpoints where name = 'moving'`)).toEqual([{ n: 5, generation: 1 }]);
  });

  it('live, a caught-up projection (or a spaced saga) starts a batch at most once per liveBatchIntervalMs, so trickling events gather', async () => {
    const batchesOf = async (name: string, intervalMs: number, as: (p: Projection) => Projection = (p) => p) => {
      let batches = 0;
      const counting: Projection = as({
        name, handles: [name], tables: [],
        apply: () => Promise.reject(new Error('unused')),
        applyBatch: async () => void batches++,
      });
      const runner = new ProjectionRunner(counting, store, db, { liveBatchIntervalMs: intervalMs });
      runner.start();
      await runner.waitUntilLive();
      for (let i = 0; i < 8; i++) {
        await store.appendToStream(`${name.toLowerCase()}-1`, events(1, name), { expectedRevision: i === 0 ? 'no_stream' : BigInt(i - 1) });
        await delay(40);
      }
      await until(() => runner.status().eventsApplied === 8);
      await runner.stop();
      return batches;
    };
    // Eight appends 40 ms apart: spaced by a second, the first goes alone and the other seven wait together.
    expect(await batchesOf('Spaced', 1000)).toBeLessThanOrEqual(2);
    expect(await batchesOf('Unspaced', 0)).toBeGreaterThanOrEqual(4);
    // A saga acts as soon as its events arrive, unless it says its lag costs nobody a wait.
    expect(await batchesOf('SagaSpaced', 1000, (p) => asSaga({ ...p, spaced: true }))).toBeLessThanOrEqual(2);
    expect(await batchesOf('SagaUnspaced', 1000, asSaga)).toBeGreaterThanOrEqual(4);
  });

  describe('a pipelined saga', () => {
    /** Batches of three; the first waits until the second has started acting, then (optionally) fails. */
    function pipelinedSaga(name: string, table: string, failFirstOnce: boolean) {
      const log: string[] = [];
      let calls = 0;
      let failed = false;
      let secondStarted!: () => void;
      const second = new Promise<void>((resolve) => (secondStarted = resolve));
      const saga = asSaga({
        name,
        handles: [name],
        tables: [],
        batchSize: 3,
        pipelined: 2,
        apply: () => Promise.reject(new Error('unused')),
        async actOnBatch(batch) {
          // Which batch by its events (the first or the second three).
          const which = Number(batch[0].revision) / 3 + 1;
          const call = ++calls;
          log.push(`act ${which}`);
          if (which === 2) secondStarted();
          if (which === 1) {
            await second;
            if (failFirstOnce && !failed) {
              failed = true;
              log.push('fail 1');
              throw new Error('the first batch fails while the second acts');
            }
          }
          return async (tx) => {
            for (const e of batch) await tx.query(`insert into ${table} (event_id, call) values ($1, $2)`, [e.id, call]);
            log.push(`wrote ${which}`);
          };
        },
      });
      return { saga, log };
    }

    /** Six events through the pipelined saga, until all are applied; its log. */
    async function runPipelined(name: string, table: string, failFirstOnce: boolean): Promise<string[]> {
      await db.query(`create table ${table} (event_id uuid primary key, call int not null)`);
      const { saga, log } = pipelinedSaga(name, table, failFirstOnce);
      await store.appendToStream(`${name.toLowerCase()}-1`, events(6, name));
      const runner = new ProjectionRunner(saga, store, db, { retryMs: 30 });
      runner.start();
      await until(() => runner.status().eventsApplied === 6);
      await runner.stop();
      return log;
    }

    it('starts acting on the next batch before the one ahead commits, and commits them in log order', async () => {
      const log = await runPipelined('Pipelined', 'pipelined_rows', false);
      expect(log.slice(2)).toEqual(['wrote 1', 'wrote 2']);
      expect(log.slice(0, 2).sort()).toEqual(['act 1', 'act 2']);
      expect(await db.query('select count(*)::int as n from pipelined_rows')).toEqual([{ n: 6 }]);
      expect(await db.query(`select events_applied::int as n from projection_checkpoints where name = 'Pipelined'`)).toEqual([{ n: 6 }]);
    });

    it('rolls the next batch back with a failed one and redelivers both, each event applied once', async () => {
      const log = await runPipelined('PipelinedFailing', 'pipelined_failing_rows', true);
      // The second batch acted, then found the first failed and wrote nothing; both came again.
      expect(log.slice(0, 2).sort()).toEqual(['act 1', 'act 2']);
      expect(log[2]).toBe('fail 1');
      expect(log.slice(3, 5).sort()).toEqual(['act 1', 'act 2']);
      expect(log.slice(5)).toEqual(['wrote 1', 'wrote 2']);
      const rows: { call: number; n: number }[] = await db.query('select call, count(*)::int as n from pipelined_failing_rows group by call order by call');
      expect(rows.reduce((sum, r) => sum + r.n, 0)).toBe(6);
      expect(rows.every((r) => r.call > 2)).toBe(true);
      expect(await db.query(`select events_applied::int as n from projection_checkpoints where name = 'PipelinedFailing'`)).toEqual([{ n: 6 }]);
    });

    it('is refused for a projection that locks its checkpoint first, and for a saga that acts in its transaction', () => {
      const projection: Projection = { name: 'eager', handles: ['Eager'], tables: [], pipelined: 2, apply: () => Promise.resolve() };
      expect(() => new ProjectionRunner(projection, store, db)).toThrow('only a saga');
      expect(() => new ProjectionRunner(asSaga({ ...projection, applyBatch: () => Promise.resolve() }), store, db)).toThrow('only a saga');
    });
  });
});
