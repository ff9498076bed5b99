import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { load, row, TABLE_HEADER, type Outcome, type Shot } from './bench-api-load.js';
import { freshDatabase, PRICES, seed, startProduct, waitForCount, waitForQuiet, type Account } from './bench-api-support.js';

/**
 * `npm run bench:api`: the built product as a separate process on a fresh database, seeded through
 * its API (bench-api-support.ts), then for Health, Get Signals, Get Portfolio and Submit Order (many
 * accounts, then one account) a warm-up and a fixed-rate run, plus a Get Signals peak run.
 * Env: DATABASE_URL (a server: a database is created and dropped), BENCH_RATE (1000), BENCH_SECONDS (20),
 * BENCH_WARMUP (5), BENCH_PEAK_CONNECTIONS (32), BENCH_ONLY (comma list of run names below),
 * BENCH_CPU_PROF=1 (the product runs under `node --cpu-prof`; the profile is written to
 * .data/bench/profiles when it stops), BENCH_SIGNALS (signals per signal account, 500).
 */
const RATE = Number(process.env.BENCH_RATE ?? '1000');
const SECONDS = Number(process.env.BENCH_SECONDS ?? '20');
const WARMUP = Number(process.env.BENCH_WARMUP ?? '5');
const PEAK_CONNECTIONS = Number(process.env.BENCH_PEAK_CONNECTIONS ?? '32');
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const ACCOUNTS = 50;
const SIGNAL_ACCOUNTS = 10;
const SIGNALS_PER_ACCOUNT = Number(process.env.BENCH_SIGNALS ?? '500');
const ORDER_SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOG', 'TSLA', 'SPY', 'QQQ'];

const wanted = (name: string) => !ONLY || ONLY.includes(name);
const cycle = <T>(items: readonly T[]) => {
  let i = 0;
  return () => items[i++ % items.length];
};

/** Get Signals as traders page it: the newest page, and filtered by symbol, strategy and side. */
function signalShots(accounts: Account[]): () => Shot {
  const queries = ['', '', '?symbol=AAPL', '?strategy=sma-cross', '?symbol=BTCUSD&side=buy', '?limit=20'];
  const shots = accounts.flatMap((a) => queries.map((q) => ({ method: 'GET' as const, path: `/signals${q}`, token: a.apiKey })));
  return cycle(shots);
}

/** Limit buys at half the last price: accepted, cash reserved, resting (no bar arrives during the run). Each clientOrderId once. */
function orderShots(accounts: Account[], tag: string): () => Shot {
  let n = 0;
  return () => {
    const i = n++;
    const symbol = ORDER_SYMBOLS[i % ORDER_SYMBOLS.length];
    const body = { clientOrderId: `${tag}-${i}`, symbol, side: 'buy', type: 'limit', quantity: String(1 + (i % 5)), limitPrice: (PRICES[symbol] * 0.5).toFixed(2), timeInForce: 'GTC' };
    return { method: 'POST', path: '/orders', token: accounts[i % accounts.length].apiKey, body };
  };
}

async function main(): Promise<void> {
  const profileDir = process.env.BENCH_CPU_PROF === '1' ? path.resolve('.data/bench/profiles') : undefined;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const database = await freshDatabase('bench_api');
  const product = await startProduct(database.url, { profileDir });
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const lines: string[] = [];
  try {
    const pid = product.child.pid!;
    console.log(`product pid ${pid} at ${product.url}; database ${database.name}; ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    const seeded = await seed(product.url, database.url, { accounts: ACCOUNTS, signalAccounts: SIGNAL_ACCOUNTS, signalsPerAccount: SIGNALS_PER_ACCOUNT });
    const outcomes: Outcome[] = [];
    /** `placed`: the clientOrderId prefix of a write phase, whose orders must all reach the read model before the next phase. */
    const fixedRate = async (name: string, label: string, next: () => Shot, placed?: string) => {
      if (!wanted(name)) return;
      const warmup = WARMUP > 0 ? (await load(product.url, pid, `${label} warm-up`, { rate: RATE, seconds: WARMUP }, next)).ok : 0;
      const outcome = await load(product.url, pid, `${label} @ ${RATE.toLocaleString('en-US')}/s`, { rate: RATE, seconds: SECONDS }, next);
      outcomes.push(outcome);
      console.log(row(outcome));
      const ended = Date.now();
      if (placed) await waitForCount(db, 'orders read model', `select count(*)::int as n from orders where client_order_id like '${placed}-%'`, warmup + outcome.ok);
      await waitForQuiet(db);
      const busy = Date.now() - ended;
      if (busy > 2_000) console.log(`  (projections and sagas were done ${(busy / 1000).toFixed(1)} s after the run, incl. a 1.5 s quiet check)`);
    };

    const health: Shot = { method: 'GET', path: '/health', token: seeded.accounts[0].apiKey };
    await fixedRate('health', 'Health Check', () => health);
    await fixedRate('signals', `Get Signals (${SIGNAL_ACCOUNTS} accounts × ${SIGNALS_PER_ACCOUNT} signals, 6 query shapes)`, signalShots(seeded.signalAccounts));
    if (wanted('peak')) {
      const next = signalShots(seeded.signalAccounts);
      await load(product.url, pid, 'Get Signals peak warm-up', { connections: PEAK_CONNECTIONS, seconds: Math.max(1, WARMUP) }, next);
      const outcome = await load(product.url, pid, `Get Signals peak (${PEAK_CONNECTIONS} connections, closed loop)`, { connections: PEAK_CONNECTIONS, seconds: SECONDS }, next);
      outcomes.push(outcome);
      console.log(row(outcome));
    }
    await fixedRate('portfolio', `Get Portfolio (${ACCOUNTS} accounts, 4 positions each)`, cycle(seeded.accounts.map((a) => ({ method: 'GET' as const, path: '/portfolio', token: a.apiKey }))));
    const tag = Date.now().toString(36);
    await fixedRate('orders', `Submit Order (${ACCOUNTS} accounts, resting limit buys)`, orderShots(seeded.accounts, `${tag}-many`), `${tag}-many`);
    await fixedRate('orders-one', 'Submit Order (1 account, resting limit buys)', orderShots(seeded.accounts.slice(-1), `${tag}-one`), `${tag}-one`);

    const { rows } = await db.query("select status, count(*)::int as n from orders where client_order_id not like 'seed-%' group by status order by status");
    lines.push(...TABLE_HEADER, ...outcomes.map(row));
    console.log(`\n${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · Node ${process.version} · load avg now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(lines.join('\n'));
    console.log(`bench orders in the read model by status: ${rows.map((r) => `${r.status} ${r.n}`).join(', ') || 'none'}`);
    console.log('app CPU and bench CPU: % of one core; machine busy: % of all cores over the run (other processes included).');
  } finally {
    await db.end().catch(() => undefined);
    await product.stop();
    if (profileDir) console.log(`CPU profile of the product in ${profileDir}`);
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
