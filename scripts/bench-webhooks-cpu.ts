import type pg from 'pg';
import { ticksOf } from './bench-api-load.js';

export interface CpuSpent {
  /** CPU seconds of the product's processes and of its PostgreSQL backends (this bench's own connection excluded). */
  app: number;
  pg: number;
}

/**
 * CPU the product spends between this call and the returned function's: on a machine shared with
 * other work, CPU per alert is comparable between runs where wall-clock latencies are not.
 * Linux only (zeros elsewhere). Backends that come and go between the two readings are missed.
 */
export async function cpuMeter(appPids: number[], db: pg.Client): Promise<() => Promise<CpuSpent>> {
  const backends = async () =>
    (await db.query('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).rows.map((r) => Number(r.pid));
  const pgAt = new Map((await backends()).map((pid) => [pid, ticksOf([pid])]));
  const appAt = ticksOf(appPids);
  return async () => {
    let pgTicks = 0;
    for (const pid of await backends()) pgTicks += ticksOf([pid]) - (pgAt.get(pid) ?? 0);
    return { app: (ticksOf(appPids) - appAt) / 100, pg: pgTicks / 100 };
  };
}

/** Tables whose rows were read by sequential scans during the run: a scan on a hot path shows up here. */
export async function sequentialScans(db: pg.Client): Promise<string> {
  const { rows } = await db.query(
    `select relname, seq_scan, seq_tup_read from pg_stat_user_tables where seq_tup_read > 0 order by seq_tup_read desc limit 8`,
  );
  return rows.map((r) => `${r.relname} ${r.seq_scan} scans/${r.seq_tup_read} rows`).join(', ') || 'none';
}
