import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { dropDatabase, ensureDatabase, resolveDatabaseServer } from '#libs/platform';

/**
 * Shared by `npm run bench:api` and `npm run bench:artillery`: the built product as a separate
 * process on a fresh database, and a realistic data set created through the public API.
 */
export const ADMIN_TOKEN = `bench-admin-${randomBytes(12).toString('hex')}`;
const MAIN = path.resolve('dist/apps/api/src/main.js');

export interface Product {
  child: ChildProcess;
  url: string;
  exited: Promise<number | string>;
  stop(): Promise<void>;
}

/**
 * `profileDir`: the app runs under `node --cpu-prof` and writes its profile there when stopped.
 * `main`: another build's entry point (a baseline to compare with), this build's by default.
 * `nodeArgs`: more flags for node; by default BENCH_APP_ARGS's, space-separated (e.g. "--import ./eld.mjs" or
 * "--max-semi-space-size=64"), so every bench that starts the product takes them.
 */
export async function startProduct(databaseUrl: string, options: { profileDir?: string; env?: Record<string, string>; main?: string; nodeArgs?: string[] } = {}): Promise<Product> {
  const flags = [...(options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : []), ...(options.nodeArgs ?? process.env.BENCH_APP_ARGS?.split(' ').filter(Boolean) ?? [])];
  const child = spawn(process.execPath, [...flags, options.main ?? MAIN], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', PORT: '0', ADMIN_TOKEN, DATABASE_URL: databaseUrl, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the product did not start within 120 s:\n${output}`)), 120_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    // Warnings (e.g. a saga's refusal) stay visible; they are rare and worth seeing in a bench log.
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[app] ${chunk.toString()}`));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the product exited (${code}) before listening:\n${output}`));
    });
  });
  // Whatever ends this process, the product must not outlive it.
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  return {
    child, url, exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => {
        console.error('the product did not stop within 30 s of SIGTERM: killing it');
        child.kill('SIGKILL');
      }, 30_000);
      await exited;
      clearTimeout(timer);
      process.off('exit', orphanGuard);
    },
  };
}

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A new database on DATABASE_URL's server, else the local PostgreSQL on 127.0.0.1:5432 (embedded as a last resort). */
export async function freshDatabase(prefix: string): Promise<BenchDatabase> {
  const server = await resolveDatabaseServer({ databaseUrl: process.env.DATABASE_URL, dataDir: path.resolve('.data/bench') });
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const url = await ensureDatabase(server.url, name);
  return {
    url, name,
    async drop() {
      await dropDatabase(server.url, name).catch((error: unknown) => console.error(`could not drop ${name}: ${String(error)}`));
      await server.stop();
    },
  };
}

export async function call(url: string, method: string, route: string, body: unknown, token: string): Promise<any> {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Runs `work` over `items` with at most `width` in flight. */
export async function inParallel<T>(items: readonly T[], width: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  }));
}

export interface Account { accountId: string; apiKey: string }

export interface Seeded {
  /** Every account: a large cash balance, positions in POSITION_SYMBOLS. */
  accounts: Account[];
  /** The accounts that own the signals (SIGNALS_PER_ACCOUNT each). */
  signalAccounts: Account[];
  symbols: string[];
  prices: Record<string, number>;
  strategies: string[];
}

export const PRICES: Record<string, number> = {
  AAPL: 190, MSFT: 410, NVDA: 880, AMZN: 175, GOOG: 150, TSLA: 175, SPY: 520, QQQ: 440, BTCUSD: 64000, ETHUSD: 3100,
};
export const STRATEGIES = ['sma-cross', 'rsi-reversion', 'breakout'];
const POSITION_SYMBOLS = ['AAPL', 'MSFT', 'SPY', 'BTCUSD'];

export interface SeedOptions {
  accounts: number;
  signalAccounts: number;
  signalsPerAccount: number;
  log?: (line: string) => void;
}

const fixed = (n: number) => n.toFixed(2);

function dailyBars(symbol: string, days: number, end: Date) {
  const bars = [];
  let close = PRICES[symbol];
  for (let i = days; i >= 1; i--) {
    const open = close;
    close = PRICES[symbol] * (1 + 0.02 * Math.sin(i / 3));
    const time = new Date(end.getTime() - i * 86_400_000);
    time.setUTCHours(0, 0, 0, 0);
    bars.push({ time: time.toISOString(), open: fixed(open), high: fixed(Math.max(open, close) * 1.01), low: fixed(Math.min(open, close) * 0.99), close: fixed(close), volume: '1000000' });
  }
  return bars;
}

/** Polls `sql` (a single `n` column) until it reaches `expected`. */
export async function waitForCount(db: pg.Client, what: string, sql: string, expected: number, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.query(sql);
    const n = Number(rows[0].n);
    if (n >= expected) return;
    if (Date.now() > deadline) throw new Error(`${what}: ${n} of ${expected} after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until no projection or saga checkpoint has moved for `quietMs`: the product's background work after a write phase is done. */
export async function waitForQuiet(db: pg.Client, quietMs = 1_500, timeoutMs = 600_000): Promise<number> {
  const started = Date.now();
  let last = '';
  let since = Date.now();
  for (;;) {
    const { rows } = await db.query("select string_agg(name || ':' || coalesce(commit_position::text, '') || ':' || coalesce(prepare_position::text, ''), ',' order by name) as s from projection_checkpoints");
    const now = Date.now();
    if (rows[0].s !== last) {
      last = rows[0].s;
      since = now;
    } else if (now - since >= quietMs) {
      return now - started - quietMs;
    }
    if (now - started > timeoutMs) throw new Error(`projections still busy after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Through the public API only: accounts with a large cash balance, 100 daily bars for each symbol,
 * signals spread over symbols, strategies, sides and the last 60 days, and four positions per
 * account (market orders filled by the paper broker on a following bar, then settled).
 */
export async function seed(url: string, databaseUrl: string, options: SeedOptions): Promise<Seeded> {
  const log = options.log ?? ((line: string) => console.log(line));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const symbols = Object.keys(PRICES);
    const started = Date.now();
    const accounts: Account[] = [];
    await inParallel(Array.from({ length: options.accounts }, (_, i) => i), 8, async (i) => {
      accounts[i] = await call(url, 'POST', '/accounts', { name: `bench trader ${i}`, openingDeposit: '1000000000' }, ADMIN_TOKEN);
    });

    const now = new Date();
    await inParallel(symbols, 4, (symbol) => call(url, 'POST', '/market-data/bars', { symbol, timeframe: '1d', bars: dailyBars(symbol, 100, now) }, ADMIN_TOKEN));
    await waitForCount(db, 'latest prices', 'select count(*)::int as n from latest_prices', symbols.length);

    const signalAccounts = accounts.slice(0, options.signalAccounts);
    const signals = signalAccounts.flatMap((account) => Array.from({ length: options.signalsPerAccount }, (_, i) => ({ account, i })));
    await inParallel(signals, 16, ({ account, i }) => {
      const symbol = symbols[i % symbols.length];
      const price = PRICES[symbol] * (1 + 0.01 * Math.sin(i));
      return call(url, 'POST', '/signals', {
        signalId: randomUUID(), symbol, side: i % 3 === 0 ? 'sell' : 'buy', strategy: STRATEGIES[i % STRATEGIES.length],
        strength: (0.5 + 0.5 * Math.abs(Math.sin(i))).toFixed(4), price: price.toFixed(2),
        time: new Date(now.getTime() - i * 1_000_000).toISOString(), metadata: { interval: '1h', bench: true },
      }, account.apiKey);
    });
    await waitForCount(db, 'signals read model', 'select count(*)::int as n from signals', signals.length);
    log(`seeded ${accounts.length} accounts, ${symbols.length} symbols × 100 bars, ${signals.length} signals in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    // Positions: market buys accepted now, filled on the next bar, settled into the portfolio.
    const positionsStarted = Date.now();
    const buys = accounts.flatMap((account, a) => POSITION_SYMBOLS.map((symbol, s) => ({ account, symbol, quantity: symbol === 'BTCUSD' ? '0.5' : String(10 + ((a + s) % 40)) })));
    await inParallel(buys, 16, ({ account, symbol, quantity }) =>
      call(url, 'POST', '/orders', { clientOrderId: `seed-${symbol}`, symbol, side: 'buy', type: 'market', quantity, timeInForce: 'GTC' }, account.apiKey));
    await waitForCount(db, 'working seed orders', 'select count(*)::int as n from paper_working_orders where working', buys.length);
    const fillTime = new Date(Date.now() + 1_000);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await inParallel(POSITION_SYMBOLS, 4, (symbol) => {
      const p = fixed(PRICES[symbol] * 1.001);
      return call(url, 'POST', '/market-data/bars', { symbol, timeframe: '1m', bars: [{ time: fillTime.toISOString(), open: p, high: p, low: p, close: p, volume: '50000000' }] }, ADMIN_TOKEN);
    });
    await waitForCount(db, 'positions', 'select count(*)::int as n from portfolio_positions where quantity > 0', buys.length);
    await waitForQuiet(db);
    log(`seeded ${buys.length} positions (market orders filled and settled) in ${((Date.now() - positionsStarted) / 1000).toFixed(1)} s`);
    return { accounts, signalAccounts, symbols, prices: PRICES, strategies: STRATEGIES };
  } finally {
    await db.end();
  }
}
