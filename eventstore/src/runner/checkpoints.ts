import type pg from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Position } from '../types.js';

export interface Checkpoint {
  position: Position | null;
  generation: number;
  eventsApplied: number;
}

interface CheckpointRow {
  commit_position: string | null;
  prepare_position: string | null;
  generation: number;
  events_applied: string;
}

const toCheckpoint = (row: CheckpointRow): Checkpoint => ({
  position: row.commit_position === null ? null : { commit: BigInt(row.commit_position), prepare: BigInt(row.prepare_position!) },
  generation: row.generation,
  eventsApplied: Number(row.events_applied),
});

const SELECT = 'select commit_position, prepare_position, generation, events_applied from projection_checkpoints where name = $1';

/**
 * Writes (the first-time insert, a row lock) take a transaction id, and every subscription in the
 * cluster waits for transactions holding one; so the row is only inserted when missing, once, when
 * a runner starts (or a rebuild resets it), never inside a batch.
 */
export async function readCheckpoint(db: EntityManager, name: string, forUpdate = false): Promise<Checkpoint> {
  const select = forUpdate ? `${SELECT} for update` : SELECT;
  let rows: CheckpointRow[] = await db.query(select, [name]);
  if (!rows.length) {
    await db.query('insert into projection_checkpoints (name) values ($1) on conflict do nothing', [name]);
    rows = await db.query(select, [name]);
  }
  return toCheckpoint(rows[0]);
}

/** Where the batch expects the checkpoint to stand: the generation and position its subscription started from. */
export interface Expected {
  generation: number;
  position: Position | null;
}

/** Where a batch moves the checkpoint to, and how many events it applied. */
export interface Advance {
  position: Position;
  applied: number;
}

/**
 * A batch's commit need not wait for its WAL flush: rows and checkpoint are derived from events
 * that are already durable, and commit or vanish together, so a batch lost in a server crash is
 * applied again from the checkpoint, identically. Acknowledged writes (appends) stay synchronous;
 * only the read models' and sagas' bookkeeping stops queueing its own flush in front of them.
 * Set inside the lock or advance statement, so it costs no extra round trip.
 */
const ASYNC_COMMIT = `set_config('synchronous_commit', 'off', true)`;

/** Raised by the closing statement when the checkpoint no longer stands where expected (1 / 0 rows updated). */
const CHECKPOINT_MOVED = '22012';

/**
 * The expected-checkpoint condition with its values written in: the statements that carry BEGIN or
 * COMMIT go in PostgreSQL's simple protocol, which takes no parameters. The name is quoted by the
 * driver; positions are bigint digits and the generation an integer.
 */
function stands(client: pg.PoolClient, name: string, { generation, position }: Expected): string {
  const commit = position ? `${position.commit}::numeric` : 'null';
  const prepare = position ? `${position.prepare}::bigint` : 'null';
  return `name = ${client.escapeLiteral(name)} and generation = ${Math.trunc(generation)}
    and commit_position is not distinct from ${commit} and prepare_position is not distinct from ${prepare}`;
}

/**
 * Runs `work` in one transaction with the checkpoint check and advance; false (rolled back) when a
 * rebuild or a stray second runner moved the checkpoint, so the caller's subscription is stale.
 *
 * Every transaction that holds a transaction id keeps every subscription in the cluster waiting
 * (the settled-log rule), and on a busy two-core machine each round trip inside it costs 1-2 ms.
 * So BEGIN travels with the row lock, and the advance with COMMIT: two round trips of bookkeeping
 * instead of four. `lockFirst` (projections) locks the row before `work`, in the same order as a
 * rebuild (row, then tables), so the two cannot deadlock; otherwise (sagas, whose commands append
 * over other connections while the batch runs) the row is locked only by the closing advance, and
 * BEGIN goes out only before `work`'s first statement: a saga batch with nothing to write (a lane
 * whose accounts had no signal in it, a placement already complete) is its advance alone, one
 * statement instead of three (bench:webhooks at 1,000/s: ~100 such batches a second).
 * When the advance finds the checkpoint moved, its division by zero ends the message before COMMIT.
 */
export async function inCheckpointedTransaction(
  db: DataSource, name: string, expected: Expected, advance: Advance, lockFirst: boolean, work: (tx: EntityManager) => Promise<void>,
): Promise<boolean> {
  const runner = db.createQueryRunner();
  const client = (await runner.connect()) as pg.PoolClient;
  try {
    let begun = () => true;
    if (lockFirst) {
      const [, lock] = (await client.query(`begin; select ${ASYNC_COMMIT} from projection_checkpoints where ${stands(client, name, expected)} for update`)) as unknown as pg.QueryResult[];
      if (lock.rowCount !== 1) {
        await client.query('rollback');
        return false;
      }
    } else {
      begun = beginBeforeFirstStatement(runner, client);
    }
    await work(runner.manager);
    // Without a BEGIN the advance is a transaction of its own, with its asynchronous commit all the same.
    await client.query(
      `with advanced as (
         update projection_checkpoints
            set commit_position = ${advance.position.commit}::numeric, prepare_position = ${advance.position.prepare}::bigint,
                events_applied = events_applied + ${Math.trunc(advance.applied)}, updated_at = now()
          where ${stands(client, name, expected)}
          returning ${ASYNC_COMMIT})
       select 1 / count(*)::int from advanced${begun() ? ';\n       commit' : ''}`,
    );
    return true;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    if ((error as { code?: string }).code === CHECKPOINT_MOVED) return false;
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * Sends BEGIN ahead of the first statement `runner` runs (TypeORM's managers and query builders all
 * run theirs through runner.query); tells whether it went out. The runner is this transaction's
 * own, released at its end, so the wrapper dies with it.
 */
function beginBeforeFirstStatement(runner: QueryRunner, client: pg.PoolClient): () => boolean {
  let begun: Promise<unknown> | undefined;
  const query = runner.query.bind(runner);
  runner.query = (async (...args: Parameters<QueryRunner['query']>) => {
    await (begun ??= client.query('begin'));
    return query(...args);
  }) as QueryRunner['query'];
  return () => begun !== undefined;
}

/** Empties the projection's tables and rewinds it, in one transaction; a running runner notices the new generation. */
export async function resetProjection(db: EntityManager, name: string, tables: readonly string[]): Promise<void> {
  await readCheckpoint(db, name, true);
  if (tables.length) await db.query(`truncate ${tables.map((t) => `"${t}"`).join(', ')}`);
  await db.query(
    `update projection_checkpoints
        set commit_position = null, prepare_position = null, events_applied = 0, generation = generation + 1, updated_at = now()
      where name = $1`,
    [name],
  );
}
