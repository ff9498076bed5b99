import pg from 'pg';
import { LISTENER_NAME, NOTIFY_CHANNEL, Wakeups } from '../src/postgres/wakeups.js';
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

  /** Another process's store, as far as LISTEN/NOTIFY goes: a connection listening under the stores' name. */
  async function otherStore(name = LISTENER_NAME): Promise<{ saw: number[]; end: () => Promise<void> }> {
    const saw: number[] = [];
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    client.on('notification', (message) => saw.push(message.processId));
    await client.query(`set application_name = '${name}'; listen ${NOTIFY_CHANNEL}`);
    return { saw, end: () => client.end() };
  }

  /** Appends, 50 ms apart, until `check` holds or `ms` passed: the look at other listeners stands for a second. */
  async function appendUntil(check: () => boolean, ms = 5_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check() && Date.now() < deadline) {
      wakeups.appended();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('wakes this process once per append: its own NOTIFY, heard back, wakes nothing more', async () => {
    const sent = await pool.query<{ pid: number }>('select pg_backend_pid() as pid'); // the pool now knows a backend
    expect(sent.rows[0]!.pid).toBeGreaterThan(0);
    const other = await otherStore();
    try {
      await appendUntil(() => other.saw.length > 0); // once this process knows it is not alone
      await new Promise((resolve) => setTimeout(resolve, 100));
      const heard = other.saw.length;
      wakes = 0;
      wakeups.appended();
      expect(wakes).toBe(1); // local subscribers are woken at once
      await until(() => other.saw.length === heard + 1); // the NOTIFY went out (other processes hear it)...
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(wakes).toBe(1); // ...and coming back to our own listener it woke no one again
    } finally {
      await other.end(); // also when an expectation fails: an open client would keep jest from exiting
    }
  });

  it('sends no NOTIFY while no other store listens on the database, and starts when one does', async () => {
    const bystander = await otherStore('not-a-store'); // hears the channel, but is not a store: not counted
    try {
      await appendUntil(() => false, 2_500); // the look at listeners is now one taken after the bystander came
      const before = bystander.saw.length;
      wakes = 0;
      for (let i = 0; i < 5; i++) wakeups.appended();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(wakes).toBe(5); // this process's subscribers are still woken
      expect(bystander.saw.length).toBe(before); // but nothing went to the server
      const other = await otherStore();
      try {
        await appendUntil(() => other.saw.length > 0);
        expect(other.saw.length).toBeGreaterThan(0);
      } finally {
        await other.end();
      }
    } finally {
      await bystander.end();
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
