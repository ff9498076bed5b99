import pg from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Cluster-wide leadership per projection: PostgreSQL session advisory locks, all held on ONE
 * dedicated connection per process (not one pooled connection per projection, which would starve
 * the pool that serves requests and read-model writes). If that connection drops, every lock is
 * gone with it, and the checkpoint check in every batch keeps a stale leader from applying anything twice.
 */
export class LeaderLocks {
  private client?: pg.Client;
  private connecting?: Promise<pg.Client>;
  /** Lock name → the runner holding it: within one process the session lock would be re-entrant. */
  private readonly held = new Map<string, object>();
  /** Runners starting together ask at once: their queries queue here, not stacked on the client (pg 9 refuses that). */
  private queries: Promise<unknown> = Promise.resolve();

  constructor(private readonly connectionString: string) {}

  static forDataSource(db: DataSource): LeaderLocks {
    let locks = shared.get(db);
    if (!locks) {
      const options = db.options as { url?: string; host?: string; port?: number; username?: string; password?: string; database?: string };
      const url = options.url ?? `postgres://${options.username}:${options.password ?? ''}@${options.host}:${options.port ?? 5432}/${options.database}`;
      locks = new LeaderLocks(url);
      shared.set(db, locks);
    }
    return locks;
  }

  async tryLock(name: string, owner: object): Promise<boolean> {
    const holder = this.held.get(name);
    if (holder) return holder === owner;
    const client = await this.connect();
    if (this.held.has(name)) return this.held.get(name) === owner;
    this.held.set(name, owner);
    const { rows } = await this.query(client, `select pg_try_advisory_lock(hashtextextended('projection:' || $1, 0)) as locked`, [name]);
    if (rows[0].locked) return true;
    this.held.delete(name);
    // A standby holds nothing: no connection is kept open for it (it would keep a CLI from exiting).
    if (this.held.size === 0) await this.close();
    return false;
  }

  async unlock(name: string, owner: object): Promise<void> {
    if (this.held.get(name) !== owner || !this.client) return;
    this.held.delete(name);
    await this.query(this.client, `select pg_advisory_unlock(hashtextextended('projection:' || $1, 0))`, [name]).catch(() => undefined);
    if (this.held.size === 0) await this.close();
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.connecting = undefined;
    this.held.clear();
    await client?.end().catch(() => undefined);
  }

  private query(client: pg.Client, text: string, values: unknown[]): Promise<pg.QueryResult> {
    const run = this.queries.then(() => client.query(text, values));
    this.queries = run.catch(() => undefined);
    return run;
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString });
      client.on('error', () => undefined);
      client.on('end', () => {
        if (this.client === client) {
          this.client = undefined;
          this.connecting = undefined;
          this.held.clear();
        }
      });
      await client.connect();
      this.client = client;
      return client;
    })();
    return this.connecting;
  }
}

const shared = new WeakMap<DataSource, LeaderLocks>();
