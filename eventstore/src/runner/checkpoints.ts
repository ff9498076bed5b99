import type { EntityManager } from 'typeorm';
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

const expectedParams = (name: string, expected: Expected) => [
  name, expected.generation, expected.position?.commit.toString() ?? null, expected.position?.prepare.toString() ?? null,
];
const STANDS = `name = $1 and generation = $2 and commit_position is not distinct from $3::numeric and prepare_position is not distinct from $4::bigint`;

/**
 * A batch's commit need not wait for its WAL flush: rows and checkpoint are derived from events
 * that are already durable, and commit or vanish together, so a batch lost in a server crash is
 * applied again from the checkpoint, identically. Acknowledged writes (appends) stay synchronous;
 * only the read models' and sagas' bookkeeping stops queueing its own flush in front of them.
 * Set inside the lock or advance statement, so it costs no extra round trip.
 */
const ASYNC_COMMIT = `set_config('synchronous_commit', 'off', true)`;

/**
 * Locks the row if it still stands where expected, in one statement; false when a rebuild or a
 * stray second runner moved it (the caller's subscription is stale).
 */
export async function lockCheckpoint(db: EntityManager, name: string, expected: Expected): Promise<boolean> {
  const rows: unknown[] = await db.query(`select ${ASYNC_COMMIT} from projection_checkpoints where ${STANDS} for update`, expectedParams(name, expected));
  return rows.length === 1;
}

/**
 * Moves the checkpoint on from where it was expected, checking and writing in one statement (it
 * locks the row, and a concurrent holder's change is re-checked when its lock is released); false
 * when the checkpoint moved under the caller. The row lock is taken here, at the end of the batch.
 */
export async function advanceCheckpoint(db: EntityManager, name: string, expected: Expected, position: Position, applied: number): Promise<boolean> {
  const [rows] = (await db.query(
    `update projection_checkpoints
        set commit_position = $5, prepare_position = $6, events_applied = events_applied + $7, updated_at = now()
      where ${STANDS}
      returning ${ASYNC_COMMIT}`,
    [...expectedParams(name, expected), position.commit.toString(), position.prepare.toString(), applied],
  )) as [unknown[], number];
  return rows.length === 1;
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
