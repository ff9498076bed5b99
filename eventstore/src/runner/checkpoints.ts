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

/**
 * Writes (the first-time insert, the row lock) take a transaction id, and every subscription in the
 * cluster waits for transactions holding one; so the row is only inserted when missing, and callers
 * lock it as late as they can.
 */
export async function readCheckpoint(db: EntityManager, name: string, forUpdate = false): Promise<Checkpoint> {
  const select = `select commit_position, prepare_position, generation, events_applied
                    from projection_checkpoints where name = $1 ${forUpdate ? 'for update' : ''}`;
  let rows: CheckpointRow[] = await db.query(select, [name]);
  if (!rows.length) {
    await db.query('insert into projection_checkpoints (name) values ($1) on conflict do nothing', [name]);
    rows = await db.query(select, [name]);
  }
  return toCheckpoint(rows[0]);
}

export async function writeCheckpoint(db: EntityManager, name: string, position: Position, applied: number): Promise<void> {
  await db.query(
    `update projection_checkpoints
        set commit_position = $2, prepare_position = $3, events_applied = events_applied + $4, updated_at = now()
      where name = $1`,
    [name, position.commit.toString(), position.prepare.toString(), applied],
  );
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

export const samePosition = (a: Position | null, b: Position | null): boolean =>
  a === null || b === null ? a === b : a.commit === b.commit && a.prepare === b.prepare;
