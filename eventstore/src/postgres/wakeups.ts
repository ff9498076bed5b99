import { EventEmitter } from 'node:events';
import pg from 'pg';

export const NOTIFY_CHANNEL = 'es_appended';

/**
 * Wake-up hints for subscribers; never the delivery path (a missed hint only delays until the
 * next poll). Appends in this process wake local subscribers directly; other processes hear a
 * NOTIFY sent after the append committed, coalesced so a burst of appends costs one NOTIFY, and
 * kept out of the append transaction, where PostgreSQL would serialise commits on it.
 */
export class Wakeups {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private listener?: pg.Client;
  private notifyQueued = false;
  private closed = false;

  constructor(private readonly pool: pg.Pool, private readonly connectionString?: string) {}

  async listen(): Promise<void> {
    if (this.listener || this.closed || !this.connectionString) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    this.listener = client;
    client.on('notification', () => this.emitter.emit('wake'));
    client.on('error', () => {
      this.listener = undefined; // the poll interval covers us until the next listen()
    });
    await client.connect();
    await client.query(`listen ${NOTIFY_CHANNEL}`);
  }

  onWake(callback: () => void): () => void {
    this.emitter.on('wake', callback);
    return () => this.emitter.off('wake', callback);
  }

  appended(): void {
    this.emitter.emit('wake');
    if (this.notifyQueued || this.closed) return;
    this.notifyQueued = true;
    setImmediate(() => {
      this.notifyQueued = false;
      if (!this.closed) this.pool.query(`select pg_notify('${NOTIFY_CHANNEL}', '')`).catch(() => undefined);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.emitter.emit('wake');
    await this.listener?.end().catch(() => undefined);
    this.listener = undefined;
  }
}
