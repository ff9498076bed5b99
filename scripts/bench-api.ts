import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { load, row, TABLE_HEADER, type Outcome, type Shot, type Target } from './bench-api-load.js';
import { freshDatabase, PRICES, seed, startProduct, waitForCount, waitForQuiet, type Account } from './bench-api-support.js';

/**
 * `npm run bench:api`: the built product as a separate process on a fresh database, seeded through
 * its API (bench-api-support.ts). Runs, each measured after a warm-up at the same load on the same
 * connections (BENCH_WARMUP s, not counted): health, signals,
 * portfolio (fixed rate); peak (Get Signals, closed loop); orders (Submit Order over 50 accounts,
 * fixed rate); orders-one-peak (one account, closed loop: its capacity); orders-one (one account at
 * the fixed rate). Env: DATABASE_URL (a server: a database is created and dropped), BENCH_RATE (1000),
 * BENCH_SECONDS (20), BENCH_WARMUP (5), BENCH_PEAK_CONNECTIONS (32), BENCH_ONLY (comma list of runs),
 * BENCH_SIGNALS (signals per signal account, 500), BENCH_APP_ARGS (node flags for the product), BENCH_TIMELINE=1
 * (each run's per-second p50 / p99 as well), BENCH_CPU_PROF=1 (the product runs under
 * `node --cpu-prof`; the profile goes to .data/bench/profiles when it stops, with spans-<pid>.json:
 * each measured run's start and end on the profile's clock).
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
    const target: Target = {
      url: product.url, pid,
      pgPids: async () => (await db.query('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).rows.map((r) => Number(r.pid)),
    };
    const outcomes: Outcome[] = [];
    // Each measured run's span on the monotonic clock, which V8 also stamps its profile samples with: a profile can be cut to one run.
    const spans: { label: string; startUs: number; endUs: number }[] = [];
    const measured = async (run: () => Promise<Outcome>) => {
      const startUs = Number(process.hrtime.bigint() / 1000n) + WARMUP * 1e6;
      const outcome = await run();
      spans.push({ label: outcome.label, startUs, endUs: Number(process.hrtime.bigint() / 1000n) });
      if (profileDir) writeFileSync(path.join(profileDir, `spans-${pid}.json`), JSON.stringify(spans, null, 1));
      return outcome;
    };
    // Every statement outside a transaction block is a transaction of its own, so this counts round trips plus explicit transactions.
    const transactions = async () => Number((await db.query('select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()')).rows[0].n);
    const perRequest = async (before: number, outcome: Outcome) => {
      await new Promise((resolve) => setTimeout(resolve, 1_200)); // backends publish their counts at most once a second
      const n = (await transactions()) - before - 2; // our own two reads
      const answered = (outcome.warmup?.ok ?? 0) + outcome.completed; // the count covers the warm-up too
      if (outcome.completed) console.log(`  ≈ ${(n / Math.max(1, answered)).toFixed(1)} PostgreSQL transactions per answered request (request path and the background work it caused)`);
    };
    /** Waits until the orders of a write run (clientOrderId prefix) reached the read model and the sagas and projections went quiet. */
    const settle = async (placed: string, answered: number) => {
      const ended = Date.now();
      await waitForCount(db, 'orders read model', `select count(*)::int as n from orders where client_order_id like '${placed}-%'`, answered);
      await waitForQuiet(db);
      const busy = Date.now() - ended;
      if (busy > 2_000) console.log(`  (projections and sagas were done ${(busy / 1000).toFixed(1)} s after the run, incl. a 1.5 s quiet check)`);
    };
    /** `placed`: the clientOrderId prefix of a write run; unless `noSettle`, the next run starts once its orders are all in the read model. */
    const fixedRate = async (name: string, label: string, next: () => Shot, placed?: string, noSettle = false) => {
      if (!wanted(name)) return;
      const tx = await transactions();
      const outcome = await measured(() => load(target, `${label} @ ${RATE.toLocaleString('en-US')}/s`, { rate: RATE, seconds: SECONDS, warmupSeconds: WARMUP }, next));
      outcomes.push(outcome);
      console.log(row(outcome));
      if (placed && !noSettle) await settle(placed, (outcome.warmup?.ok ?? 0) + outcome.ok);
      await perRequest(tx, outcome);
    };
    const closedLoop = async (name: string, label: string, connections: number, next: () => Shot, placed?: string) => {
      if (!wanted(name)) return;
      const tx = await transactions();
      const outcome = await measured(() => load(target, `${label} (${connections} connections, closed loop)`, { connections, seconds: SECONDS, warmupSeconds: WARMUP }, next));
      outcomes.push(outcome);
      console.log(row(outcome));
      if (placed) await settle(placed, (outcome.warmup?.ok ?? 0) + outcome.ok);
      await perRequest(tx, outcome);
    };

    const health: Shot = { method: 'GET', path: '/health', token: seeded.accounts[0].apiKey };
    await fixedRate('health', 'Health Check', () => health);
    await fixedRate('signals', `Get Signals (${SIGNAL_ACCOUNTS} accounts × ${SIGNALS_PER_ACCOUNT} signals, 6 query shapes)`, signalShots(seeded.signalAccounts));
    await closedLoop('peak', 'Get Signals peak', PEAK_CONNECTIONS, signalShots(seeded.signalAccounts));
    await fixedRate('portfolio', `Get Portfolio (${ACCOUNTS} accounts, 4 positions each)`, cycle(seeded.accounts.map((a) => ({ method: 'GET' as const, path: '/portfolio', token: a.apiKey }))));
    const tag = Date.now().toString(36);
    await fixedRate('orders', `Submit Order (${ACCOUNTS} accounts, resting limit buys)`, orderShots(seeded.accounts, `${tag}-many`), `${tag}-many`);
    // One account: its commands run one after another in the process (account lane), so this is the capacity of one account...
    await closedLoop('orders-one-peak', 'Submit Order, 1 account, capacity', 16, orderShots([seeded.accounts[ACCOUNTS - 2]], `${tag}-cap`), `${tag}-cap`);
    // ...and this what 1,000/s on one account does. Last: the queue it leaves behind is still draining when the product stops.
    await fixedRate('orders-one', 'Submit Order (1 account, resting limit buys)', orderShots([seeded.accounts[ACCOUNTS - 1]], `${tag}-one`), `${tag}-one`, true);

    const { rows } = await db.query(
      `select split_part(client_order_id, '-', 2) as run, status, count(*)::int as n from orders where client_order_id like $1 group by 1, 2 order by 1, 2`,
      [`${tag}-%`],
    );
    lines.push(...TABLE_HEADER, ...outcomes.map(row));
    console.log(`\n${new Date().toISOString()} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · Node ${process.version} · load avg now ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(lines.join('\n'));
    console.log(`orders in the read model now (run: status count; warm-ups included): ${rows.map((r) => `${r.run}: ${r.status} ${r.n}`).join(', ') || 'none'}`);
    console.log('app, PG (the product database\'s backends) and bench CPU: % of one core; machine busy: % of all cores over the run (other processes included).');
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
