import 'reflect-metadata';
import path from 'node:path';
import pg from 'pg';
import { load, type Shot, type Target } from './bench-api-load.js';
import { freshDatabase, seed, startProduct, type Account, type Product } from './bench-api-support.js';

/**
 * A quick A/B probe of the Get Signals peak, for a change to the read path (not the benchmark of
 * record: that is `npm run bench:api` on a quiet machine). Seeds one database, then runs this build
 * and, when PROBE_BASELINE points at another build's dist/apps/api/src/main.js, that build too, both
 * `ROLE=api` on the same data, alternating closed-loop runs so the noise of shared cores falls on
 * both. It reports CPU per answered request, which varies far less than req/s under contention.
 * Env: PROBE_ROUNDS (3), PROBE_SECONDS (10), PROBE_CONNECTIONS (32), PROBE_PATHS (`signals`,
 * `portfolio` or both, comma-separated), BENCH_SIGNALS (500 per signal account), PROBE_KEEP=1 (leave the database for
 * EXPLAIN), PROBE_CPU_PROF (a folder:
 * this build runs under `node --cpu-prof` and writes its profile there when stopped).
 */
const ROUNDS = Number(process.env.PROBE_ROUNDS ?? '3');
const SECONDS = Number(process.env.PROBE_SECONDS ?? '10');
const CONNECTIONS = Number(process.env.PROBE_CONNECTIONS ?? '32');
const PATHS = (process.env.PROBE_PATHS ?? 'signals').split(',');
const SIGNALS_PER_ACCOUNT = Number(process.env.BENCH_SIGNALS ?? '500');

const cycle = <T>(items: readonly T[]) => {
  let i = 0;
  return () => items[i++ % items.length];
};

/** The same six query shapes as the benchmark's Get Signals runs. */
const shotsFor = (route: string, accounts: Account[]): (() => Shot) => {
  const queries = route === 'signals' ? ['', '', '?symbol=AAPL', '?strategy=sma-cross', '?symbol=BTCUSD&side=buy', '?limit=20'] : [''];
  return cycle(accounts.flatMap((a) => queries.map((q) => ({ method: 'GET' as const, path: `/${route}${q}`, token: a.apiKey }))));
};

async function main(): Promise<void> {
  const database = await freshDatabase('probe_api');
  const seeder = await startProduct(database.url);
  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  const products: { name: string; product: Product }[] = [];
  try {
    const seeded = await seed(seeder.url, database.url, { accounts: 10, signalAccounts: 10, signalsPerAccount: SIGNALS_PER_ACCOUNT });
    await seeder.stop();
    // Each product names its connections, so only the measured one's PostgreSQL backends are counted.
    const as = (name: string) => `${database.url}${database.url.includes('?') ? '&' : '?'}application_name=${name}`;
    const profileDir = process.env.PROBE_CPU_PROF ? path.resolve(process.env.PROBE_CPU_PROF) : undefined;
    products.push({ name: 'this build', product: await startProduct(as('probe_this'), { env: { ROLE: 'api' }, profileDir }) });
    const baseline = process.env.PROBE_BASELINE;
    if (baseline) products.push({ name: 'baseline', product: await startProduct(as('probe_baseline'), { env: { ROLE: 'api' }, main: path.resolve(baseline) }) });
    const pgPids = async (name: string) =>
      (await db.query('select pid from pg_stat_activity where datname = current_database() and application_name = $1', [name])).rows.map((r) => Number(r.pid));
    for (const route of PATHS) {
      for (let round = 1; round <= ROUNDS; round++) {
        for (const { name, product } of round % 2 ? products : [...products].reverse()) {
          const target: Target = { url: product.url, pid: product.child.pid!, pgPids: () => pgPids(name === 'baseline' ? 'probe_baseline' : 'probe_this') };
          await load(target, 'warm-up', { connections: CONNECTIONS, seconds: 2 }, shotsFor(route, seeded.signalAccounts));
          const o = await load(target, name, { connections: CONNECTIONS, seconds: SECONDS }, shotsFor(route, seeded.signalAccounts));
          const perSecond = o.completed / o.seconds;
          const ms = (share: number) => ((share / 100) * 1000 / perSecond).toFixed(3);
          const non2xx = o.completed - o.ok;
          console.log(`${route} round ${round} ${name.padEnd(10)} ${Math.round(perSecond).toString().padStart(5)} req/s  app ${ms(o.cpu.app)} ms/req  PG ${ms(o.cpu.pg)} ms/req  bench ${ms(o.cpu.bench)} ms/req  machine ${o.cpu.machine.toFixed(0)}%${non2xx ? `  NON-2XX ${non2xx}` : ''}`);
        }
      }
    }
  } finally {
    await db.end().catch(() => undefined);
    for (const { product } of products) await product.stop();
    await seeder.stop();
    if (process.env.PROBE_KEEP) console.log(`kept database ${database.url}`);
    else await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
