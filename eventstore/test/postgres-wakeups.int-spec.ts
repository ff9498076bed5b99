import pg from 'pg';
import { NOTIFY_CHANNEL, Wakeups } from '../src/postgres/wakeups.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';

/** Waits until `check` holds, polling; fails after `ms`. */
async function until(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('append wake-ups (PostgreSQL LISTEN/NOTIFY)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let wakeups: Wakeups;
  let wakes = 0;

  beforeAll(async () => {
    db = await createTestDatabase('es_wakeups');
    pool = new pg.Pool({ connectionString: db.url, max: 2 });
    wakeups = new Wakeups(pool);
    wakeups.onWake(() => wakes++);
    wakeups.listen();
    // LISTEN is in place once a NOTIFY from elsewhere gets through.
    const outsider = new pg.Client({ connectionString: db.url });
    await outsider.connect();
    const deadline = Date.now() + 5_000;
    while (wakes === 0 && Date.now() < deadline) {
      await outsider.query(`select pg_notify('${NOTIFY_CHANNEL}', '')`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await outsider.end();
  });
  afterAll(async () => {
    await wakeups.close();
    await pool.end();
    await db.drop();
  });

  it('wakes this process once per append: its own NOTIFY, heard back, wakes nothing more', async () => {
    const sent = await pool.query<{ pid: number }>('select pg_backend_pid() as pid'); // the pool now knows a backend
    expect(sent.rows[0]!.pid).toBeGreaterThan(0);
    const listenerSaw: number[] = [];
    const spy = new pg.Client({ connectionString: db.url });
    await spy.connect();
    try {
      spy.on('notification', (message) => listenerSaw.push(message.processId));
      await spy.query(`listen ${NOTIFY_CHANNEL}`);
      wakes = 0;
      wakeups.appended();
      expect(wakes).toBe(1); // local subscribers are woken at once
      await until(() => listenerSaw.length === 1); // the NOTIFY went out (other processes hear it)...
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(wakes).toBe(1); // ...and coming back to our own listener it woke no one again
    } finally {
      await spy.end(); // also when an expectation fails: an open client would keep jest from exiting
    }
  });

  it('wakes this process for a NOTIFY from another process', async () => {
    wakes = 0;
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query(`select pg_notify('${NOTIFY_CHANNEL}', '')`);
      await until(() => wakes === 1);
    } finally {
      await other.end();
    }
  });
});
