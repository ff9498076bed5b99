import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { spawnApp, type AppProcess } from '../support/process.js';

const ADMIN = 'crash-admin-token-0123456789';

const snapshot = async (url: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = {
      catalogue: 'select * from stream_catalogue order by stream_id',
      bars: 'select symbol, timeframe, time, open::text, high::text, low::text, close::text, volume::text from market_bars order by 1, 2, 3',
      prices: 'select symbol, price::text, time from latest_prices order by symbol',
    };
    const catalogue = (await client.query<{ event_count: string }>(tables.catalogue)).rows;
    const bars = (await client.query(tables.bars)).rows;
    const prices = (await client.query(tables.prices)).rows;
    const { rows } = await client.query(`select count(*)::int as events, count(*) filter (where type = 'MarketBarsRecorded')::int as bars from events`);
    return { catalogue, bars, prices, counts: rows[0] as { events: number; bars: number } };
  } finally {
    await client.end();
  }
};

const postBars = (app: AppProcess, symbol: string, day: number) =>
  fetch(`${app.url}/market-data/bars`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
    body: JSON.stringify({
      symbol,
      timeframe: '1d',
      bars: Array.from({ length: 20 }, (_, i) => {
        const time = new Date(Date.UTC(2020, 0, 1) + (day * 20 + i) * 86_400_000).toISOString();
        const close = (100 + ((day * 7 + i) % 13)).toFixed(2);
        return { time, open: close, high: (Number(close) + 1).toFixed(2), low: (Number(close) - 1).toFixed(2), close, volume: '1000' };
      }),
    }),
  }).then((r) => r.status, () => 0);

async function waitForProjections(app: AppProcess, expected: { events: number; bars: number }): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const body = (await (await fetch(`${app.url}/health/ready`)).json()) as { details: { projections: { runners: { name: string; eventsApplied: number }[] } } };
    const applied = Object.fromEntries(body.details.projections.runners.map((r) => [r.name, r.eventsApplied]));
    if (applied['stream-catalogue'] === expected.events && applied['market-bars'] === expected.bars) return;
    if (Date.now() > deadline) throw new Error(`projections did not catch up: ${JSON.stringify(applied)} vs ${JSON.stringify(expected)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGKILL in the middle of appends and projection batches must leave nothing half-applied. */
describe('crash recovery', () => {
  let db: TestDatabase;
  beforeAll(async () => void (db = await createTestDatabase('crash')));
  afterAll(async () => db.drop());

  it('after SIGKILL and restart every read model equals a rebuild from zero', async () => {
    const env = { DATABASE_URL: db.url, ADMIN_TOKEN: ADMIN };
    const first = await spawnApp(env);
    let accepted = 0;
    const writers = Array.from({ length: 6 }, async (_, w) => {
      for (let day = 0; day < 1000; day++) {
        const status = await postBars(first, `SYM${w}`, day);
        if (status === 202) accepted++;
        else return;
      }
    });
    while (accepted < 120) await new Promise((resolve) => setTimeout(resolve, 10));
    first.child.kill('SIGKILL');
    await Promise.all(writers);
    expect(await first.exited).toBe('SIGKILL');

    const second = await spawnApp(env);
    try {
      const before = await snapshot(db.url);
      expect(before.counts.bars).toBeGreaterThanOrEqual(accepted);
      await waitForProjections(second, before.counts);
      const live = await snapshot(db.url);

      const rebuild = spawn(process.execPath, [path.resolve('dist/scripts/projections-rebuild.js'), '--all'], {
        env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      rebuild.stdout.on('data', (c: Buffer) => (output += c));
      rebuild.stderr.on('data', (c: Buffer) => (output += c));
      const code = await new Promise((resolve) => rebuild.once('exit', resolve));
      expect({ code, output }).toMatchObject({ code: 0 });
      expect(output).toContain(`rebuilt market-bars: ${live.counts.bars} events`);

      await waitForProjections(second, live.counts);
      const rebuilt = await snapshot(db.url);
      expect(rebuilt).toEqual(live);
      expect(live.catalogue.reduce((n, row) => n + Number(row.event_count), 0)).toBe(live.counts.events);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 180_000);
});
