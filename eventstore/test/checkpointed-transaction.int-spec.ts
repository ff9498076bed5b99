import pg from 'pg';
import { DataSource } from 'typeorm';
import { inCheckpointedTransaction, readCheckpoint, type Expected } from '../src/runner/checkpoints.js';
import { runMigrations } from '../../libs/platform/src/migrate.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';

/**
 * The batch transaction sends BEGIN with the checkpoint lock (a saga's: before its first statement,
 * if any) and COMMIT with the advance: these cases pin that a moved checkpoint still rolls everything
 * back, in both lock orders, and that no connection goes back to the pool inside a transaction.
 */
describe('checkpointed batch transaction (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: DataSource;
  const at = (commit: bigint) => ({ position: { commit, prepare: commit }, applied: 2 });

  beforeAll(async () => {
    database = await createTestDatabase('checkpointed');
    await runMigrations(database.url);
    db = await new DataSource({ type: 'postgres', url: database.url, poolSize: 2 }).initialize();
    await db.query('create table batch_rows (id int primary key)');
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });
  beforeEach(() => db.query('truncate batch_rows'));

  const fresh = async (name: string): Promise<Expected> => ({ generation: (await readCheckpoint(db.manager, name)).generation, position: null });
  const rows = async () => (await db.query('select id from batch_rows order by id')).map((r: { id: number }) => r.id);
  /** Every pooled connection must be outside a transaction once a batch is over. */
  const openTransactions = async () =>
    Number((await db.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`))[0].n);

  it.each([true, false])('commits rows and checkpoint together (lock first: %s), with asynchronous commit inside the batch only', async (lockFirst) => {
    const name = `commits-${lockFirst}`;
    const expected = await fresh(name);
    const settings: string[] = [];
    const applied = await inCheckpointedTransaction(db, name, expected, at(42n), lockFirst, async (tx) => {
      await tx.query('insert into batch_rows values ($1), ($2)', [1, 2]);
      settings.push((await tx.query(`select current_setting('synchronous_commit') as s`))[0].s);
    });
    expect(applied).toBe(true);
    expect(await rows()).toEqual([1, 2]);
    expect(await readCheckpoint(db.manager, name)).toEqual({ position: { commit: 42n, prepare: 42n }, generation: expected.generation, eventsApplied: 2 });
    expect(settings).toEqual([lockFirst ? 'off' : 'on']); // a saga sets it in its closing statement
    expect(await openTransactions()).toBe(0);
  });

  it.each([true, false])('rolls the rows back and answers false when the checkpoint moved (lock first: %s)', async (lockFirst) => {
    const name = `moved-${lockFirst}`;
    const expected = await fresh(name);
    await db.query('update projection_checkpoints set generation = generation + 1 where name = $1', [name]); // a rebuild
    const applied = await inCheckpointedTransaction(db, name, expected, at(7n), lockFirst, (tx) => tx.query('insert into batch_rows values (3)'));
    expect(applied).toBe(false);
    expect(await rows()).toEqual([]);
    expect((await readCheckpoint(db.manager, name)).position).toBeNull();
    expect(await openTransactions()).toBe(0);
  });

  it('a checkpoint that moved on from another position is not advanced over', async () => {
    const name = 'moved-position';
    const expected = await fresh(name);
    await inCheckpointedTransaction(db, name, expected, at(10n), true, async () => undefined);
    // The stale runner still expects the start: neither its rows nor its position may land.
    const applied = await inCheckpointedTransaction(db, name, expected, at(11n), false, (tx) => tx.query('insert into batch_rows values (4)'));
    expect(applied).toBe(false);
    expect(await rows()).toEqual([]);
    expect((await readCheckpoint(db.manager, name)).position).toEqual({ commit: 10n, prepare: 10n });
  });

  it('a failing batch rolls back, rethrows and leaves its connection clean for the next one', async () => {
    const name = 'failing';
    const expected = await fresh(name);
    await expect(inCheckpointedTransaction(db, name, expected, at(5n), true, async (tx) => {
      await tx.query('insert into batch_rows values (5)');
      throw new Error('projection bug');
    })).rejects.toThrow('projection bug');
    await expect(inCheckpointedTransaction(db, name, expected, at(5n), true, (tx) => tx.query('insert into batch_rows values (5), (5)'))).rejects.toMatchObject({ code: '23505' });
    expect(await rows()).toEqual([]);
    expect(await openTransactions()).toBe(0);
    expect(await inCheckpointedTransaction(db, name, expected, at(5n), true, (tx) => tx.query('insert into batch_rows values (6)'))).toBe(true);
    expect(await rows()).toEqual([6]);
  });

  it('quotes the projection name it writes into the statement', async () => {
    const name = `it's; drop table batch_rows; --`;
    const expected = await fresh(name);
    expect(await inCheckpointedTransaction(db, name, expected, at(9n), true, (tx) => tx.query('insert into batch_rows values (9)'))).toBe(true);
    expect(await rows()).toEqual([9]);
    expect((await readCheckpoint(db.manager, name)).position).toEqual({ commit: 9n, prepare: 9n });
  });

  describe('a saga batch (checkpoint locked last)', () => {
    /** Every statement the batch's connections send, in order. */
    const sent: string[] = [];
    class Recording extends pg.Client {
      // @ts-expect-error forwards whichever of pg's query overloads it was called with
      override query(...args: [unknown, ...unknown[]]): unknown {
        const [first] = args;
        sent.push(String(typeof first === 'string' ? first : (first as { text: string }).text).replace(/\s+/g, ' ').trim());
        return (super.query as (...forwarded: unknown[]) => unknown).apply(this, args);
      }
    }
    let recorded: DataSource;
    beforeAll(async () => {
      recorded = await new DataSource({ type: 'postgres', url: database.url, poolSize: 2, extra: { Client: Recording } }).initialize();
    });
    afterAll(() => recorded.destroy());
    beforeEach(() => void sent.splice(0));

    it('that writes nothing is its checkpoint advance alone: one statement, no BEGIN or COMMIT', async () => {
      const name = 'saga-idle';
      const expected = await fresh(name);
      sent.splice(0);
      expect(await inCheckpointedTransaction(recorded, name, expected, at(21n), false, async () => undefined)).toBe(true);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatch(/^with advanced as \(.*select 1 \/ count\(\*\)::int from advanced$/);
      expect(await readCheckpoint(db.manager, name)).toEqual({ position: { commit: 21n, prepare: 21n }, generation: expected.generation, eventsApplied: 2 });
      expect(await openTransactions()).toBe(0);
    });

    it('that writes nothing and finds its checkpoint moved answers false and leaves it where it was', async () => {
      const name = 'saga-idle-moved';
      const expected = await fresh(name);
      await db.query('update projection_checkpoints set generation = generation + 1 where name = $1', [name]);
      expect(await inCheckpointedTransaction(recorded, name, expected, at(22n), false, async () => undefined)).toBe(false);
      expect((await readCheckpoint(db.manager, name)).position).toBeNull();
      expect(await openTransactions()).toBe(0);
    });

    it('that writes sends BEGIN before its first statement, so statements started together all roll back with a moved checkpoint', async () => {
      const name = 'saga-writes-moved';
      const expected = await fresh(name);
      await db.query('update projection_checkpoints set generation = generation + 1 where name = $1', [name]);
      sent.splice(0);
      const applied = await inCheckpointedTransaction(recorded, name, expected, at(23n), false, async (tx) => {
        await Promise.all([tx.query('insert into batch_rows values (23)'), tx.query('insert into batch_rows values (24)')]);
      });
      expect(applied).toBe(false);
      expect(sent.slice(0, 3)).toEqual(['begin', 'insert into batch_rows values (23)', 'insert into batch_rows values (24)']);
      expect(await rows()).toEqual([]);
      expect(await openTransactions()).toBe(0);
    });
  });
});
