import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { spawnApp, type AppProcess } from '../support/process.js';
import pg from 'pg';
import { eventually, postHook } from './webhook-helpers.js';

const ADMIN = 'webhook-crash-admin-token-0123';
const ALERTS = 300;

async function call(app: AppProcess, method: string, path: string, body: unknown, token: string): Promise<any> {
  const response = await fetch(`${app.url}${path}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/**
 * Accepted means processed exactly once: alerts acknowledged by an api-only process (no saga),
 * that process SIGKILLed, a full process SIGKILLed again while it works through them, and a
 * third one finishing: one order per alert, none twice.
 */
describe('webhook crash recovery', () => {
  let db: TestDatabase;
  // One connection for every check: the apps under test already take many of the server's slots.
  let client: pg.Client;
  const sql = async (text: string) => (await client.query(text)).rows;
  const running: AppProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('webhook_crash');
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    for (const app of running) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    await client.end();
    await db.drop();
  });

  it('every accepted alert becomes exactly one order across SIGKILLs', async () => {
    const env = { DATABASE_URL: db.url, ADMIN_TOKEN: ADMIN };
    const apiOnly = await spawnApp({ ...env, ROLE: 'api' });
    running.push(apiOnly);
    const { apiKey } = await call(apiOnly, 'POST', '/accounts', { name: 'crash desk', openingDeposit: '10000000' }, ADMIN);
    const webhook = await call(apiOnly, 'POST', '/webhooks', { strategy: 'crash', sizing: { mode: 'fixed_quantity', quantity: '1' }, orderDefaults: { type: 'limit' } }, apiKey);
    const accepted = new Set<string>();
    await Promise.all(Array.from({ length: 10 }, async (_, lane) => {
      for (let i = lane; i < ALERTS; i += 10) {
        const body = { secret: webhook.secret, ticker: 'AAPL', action: 'buy', price: '100', alertId: `crash-${i}` };
        const answer = await postHook(apiOnly, webhook.url, { body });
        if (answer.status !== 202) throw new Error(`alert ${i} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
        accepted.add(answer.body.signalId);
      }
    }));
    expect(accepted.size).toBe(ALERTS);
    apiOnly.child.kill('SIGKILL');
    expect(await apiOnly.exited).toBe('SIGKILL');
    expect(await sql('select count(*)::int as n from webhook_signals').catch(() => [{ n: 0 }])).toEqual([{ n: 0 }]);

    const worker = await spawnApp({ ...env, ROLE: 'all' });
    running.push(worker);
    // Killed while the saga works through its batch: orders placed, the batch's checkpoint not yet written.
    const ordersPlaced = () => sql("select count(*)::int as n from events where type = 'OrderPlaced'");
    await eventually(ordersPlaced, ([row]) => row.n >= 20, 'placement to start', 60_000);
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toBe('SIGKILL');
    const [atKill] = await ordersPlaced();
    const [recorded] = await sql('select count(*)::int as n from webhook_signals');

    const finisher = await spawnApp({ ...env, ROLE: 'all' });
    running.push(finisher);
    try {
      await eventually(() => sql('select count(*)::int as n from webhook_signals'), ([row]) => row.n === ALERTS, 'every alert processed', 120_000);
      const handled = await sql('select signal_id, outcome, order_id from webhook_signals');
      expect(new Set(handled.map((r) => r.signal_id))).toEqual(accepted);
      expect(handled.filter((r) => r.outcome !== 'ordered')).toEqual([]);
      const placed = await sql(`select data->>'clientOrderId' as client_order_id, count(*)::int as n from events where type = 'OrderPlaced' group by 1`);
      expect(placed).toHaveLength(ALERTS);
      expect(placed.filter((r) => r.n !== 1)).toEqual([]);
      expect(new Set(placed.map((r) => r.client_order_id.replace(/^wh-/, '')))).toEqual(accepted);
      expect(new Set(handled.map((r) => r.order_id)).size).toBe(ALERTS);
      console.log(`webhook crash: ${ALERTS} accepted by an api-only process; at the second SIGKILL ${atKill.n} orders placed, ${recorded.n} signals checkpointed; all ${ALERTS} ordered once`);
    } finally {
      finisher.child.kill('SIGTERM');
      await finisher.exited;
    }
  }, 240_000);
});
