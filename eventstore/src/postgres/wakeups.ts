import { EventEmitter } from 'node:events';
import pg from 'pg';

export const NOTIFY_CHANNEL = 'es_appended';

/** After the LISTEN connection drops, how long before trying again (polling covers the gap). */
const RELISTEN_MS = 1000;
/** Every store's LISTEN connection goes by this name, so a process can tell whether anyone else would hear it. */
export const LISTENER_NAME = 'es-wakeups';
/** How long a look at the other listeners stands: a new process is heard from this long after it started listening at most (it polls meanwhile). */
const PEERS_STAND_MS = 1000;

/**
 * Wake-up hints for subscribers; never the delivery path (a missed hint only delays until the
 * next poll). Appends in this process wake local subscribers directly; other processes hear a
 * NOTIFY sent after the append committed, coalesced so a burst of appends costs one NOTIFY, and
 * kept out of the append transaction, where PostgreSQL would serialise commits on it.
 * One LISTEN connection per store, shared by all its subscriptions.
 *
 * A NOTIFY nobody else hears is not sent: a lone instance (the embedded default) made one per
 * combined append, ~15 % of its statements at 1,000 orders/s, each also waking its own LISTEN
 * connection for nothing. Whether another store listens on this database is looked up at most
 * once a second (its LISTEN connection's name in pg_stat_activity); until known, NOTIFY is sent.
 */
export class Wakeups {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  private listener?: pg.Client;
  private relisten?: NodeJS.Timeout;
  private notifyQueued = false;
  private notifying = false;
  private closed = false;
  /** Whether another process's store listens on this database, and when that was looked up. */
  private peers?: { listening: boolean; at: number };
  private lookingForPeers = false;
  /** Backends of this store's pool: their NOTIFYs announce appends this process has already woken for. */
  private readonly own = new Set<number>();

  constructor(private readonly pool: pg.Pool) {
    pool.on('connect', (client) => {
      const pid = backendOf(client);
      if (pid !== null) this.own.add(pid);
    });
    pool.on('remove', (client) => {
      const pid = backendOf(client);
      if (pid !== null) this.own.delete(pid);
    });
  }

  listen(): void {
    if (this.listener || this.relisten || this.closed) return;
    const client = new pg.Client(this.pool.options);
    this.listener = client;
    const dropped = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.closed || this.emitter.listenerCount('wake') === 0) return;
      this.relisten = setTimeout(() => {
        this.relisten = undefined;
        this.listen();
      }, RELISTEN_MS).unref();
    };
    // Our own NOTIFY comes back to us too: answering it would refresh every subscription a second time per append.
    client.on('notification', (message) => {
      if (!this.own.has(message.processId)) this.emitter.emit('wake');
    });
    client.on('error', dropped);
    client.on('end', dropped);
    // Named by a statement, not the connection options: a connection string's own application_name would win over them.
    client.connect().then(() => client.query(`set application_name = '${LISTENER_NAME}'; listen ${NOTIFY_CHANNEL}`)).catch(dropped);
  }

  onWake(callback: () => void): () => void {
    this.emitter.on('wake', callback);
    return () => this.emitter.off('wake', callback);
  }

  appended(): void {
    this.emitter.emit('wake');
    this.lookForPeers();
    if (this.notifyQueued || this.closed || this.peers?.listening === false) return;
    this.notifyQueued = true;
    // At most one NOTIFY in flight: appends made meanwhile are covered by the next one, so a
    // stream of appends costs the server one extra statement per NOTIFY round trip, not per append.
    const send = () => {
      this.notifyQueued = false;
      if (this.closed) return;
      this.notifying = true;
      this.pool.query(`select pg_notify('${NOTIFY_CHANNEL}', '')`).catch(() => undefined).finally(() => {
        this.notifying = false;
        if (this.notifyQueued) send();
      });
    };
    if (!this.notifying) setImmediate(send);
  }

  private lookForPeers(): void {
    if (this.lookingForPeers || this.closed || (this.peers && performance.now() - this.peers.at < PEERS_STAND_MS)) return;
    this.lookingForPeers = true;
    const own = this.listener ? backendOf(this.listener as pg.PoolClient) : null;
    this.pool
      .query<{ listening: boolean }>(
        `select exists (select 1 from pg_stat_activity
                         where datname = current_database() and application_name = $1 and pid is distinct from $2::int) as listening`,
        [LISTENER_NAME, own],
      )
      .then(({ rows }) => (this.peers = { listening: rows[0]!.listening, at: performance.now() }))
      .catch(() => (this.peers = undefined)) // not knowing, keep notifying
      .finally(() => (this.lookingForPeers = false));
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.relisten);
    this.emitter.emit('wake');
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
  }
}

/** The server process behind a connected client (pg keeps it from the BackendKeyData message but does not type it). */
const backendOf = (client: pg.PoolClient): number | null => (client as unknown as { processID: number | null }).processID;
